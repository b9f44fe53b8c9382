import { createReview, type Review, ReviewSchema } from '../../src/index.js';

/** Three exported reviews covering the shapes an import must keep: rated, recommendation with a reply, unrated mention. */
export const yelpReview: Review = ReviewSchema.parse(
  createReview('yelp', {
    externalId: 'xAG4O7l-t1ubbwVAlPnDKg',
    subject: { id: 'cafe-example-sf', name: 'Café Example' },
    url: 'https://www.yelp.com/biz/cafe-example-sf?hrid=xAG4O7l-t1ubbwVAlPnDKg',
    author: { name: 'Ada L.', id: 'u-1001', url: null, avatarUrl: 'https://s3-media.example/a.jpg' },
    rating: { value: 4, min: 1, max: 5 },
    text: 'Great coffee, friendly staff.\nThe "house blend" is a must.',
    language: 'en',
    createdAt: new Date('2026-03-01T17:30:00.000Z'),
    helpfulVotes: 3,
    extra: { isExcerpt: true },
  }),
);

export const facebookReview: Review = ReviewSchema.parse(
  createReview('facebook', {
    externalId: '1234567890_987',
    subject: { id: '1234567890', name: null },
    recommendation: 'negative',
    text: '=HYPERLINK("http://evil.example","click")',
    createdAt: new Date('2026-02-14T08:05:09.123Z'),
    replies: [{ text: '-- Sorry to hear that, please DM us', createdAt: new Date('2026-02-15T10:00:00.000Z'), author: 'Café Example' }],
  }),
);

export const mention: Review = ReviewSchema.parse(
  createReview('x', {
    externalId: '1790000000000000001',
    subject: { id: 'cafeexample', name: '' },
    author: { name: '@grüße 😀', id: '42' },
    polarity: 'positive',
    title: "'tis the season",
    text: '+1 would sip again, 100%',
    language: 'de',
    createdAt: null,
    helpfulVotes: 0,
    extra: { metrics: { likes: 5 }, lang: 'de' },
  }),
);

export const samples: Review[] = [yelpReview, facebookReview, mention];
