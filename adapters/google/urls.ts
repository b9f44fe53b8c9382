/** URL helpers shared by the Google adapters. */

/** Google sends some author links protocol-relative (`//lh3.googleusercontent.com/…`); make them absolute. */
export function absoluteUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  return url.startsWith('//') ? `https:${url}` : url;
}

/** The contributor id in a Maps profile link (`https://www.google.com/maps/contrib/1234/reviews`), if any. */
export function contributorId(url: string | null): string | null {
  const match = url === null ? null : /\/maps\/contrib\/(\d+)/.exec(url);
  return match?.[1] ?? null;
}
