/**
 * The words the sandbox writes reviews with: invented people's names and review sentences in
 * English, German, French and Spanish, for a restaurant (Sandbox Bistro), its ordering app and
 * social posts about it. Everything is synthetic; any likeness to a real review is chance.
 * Texts are tidy plain text (single spaces, no markup), so what an adapter reports equals what
 * the sandbox holds; a few carry `&` to exercise each source's escaping.
 */

/** A language the sandbox writes in. */
export type Language = 'en' | 'de' | 'fr' | 'es';
/** The mood of a text, chosen from the stars. */
export type Mood = 'positive' | 'neutral' | 'negative';
/** What a text is about. */
export type Topic = 'venue' | 'app' | 'mention';

/** The languages, by share of reviews. */
export const LANGUAGE_MIX: readonly (readonly [Language, number])[] = [
  ['en', 0.55],
  ['de', 0.15],
  ['fr', 0.15],
  ['es', 0.15],
];

/** Stars by share: the J-shaped mix review sites show (many 5s, a bump of 1s). */
export const STAR_MIX: readonly (readonly [number, number])[] = [
  [5, 0.45],
  [4, 0.22],
  [3, 0.1],
  [2, 0.08],
  [1, 0.15],
];

/** The mood of a text for a star rating. */
export function moodOf(stars: number): Mood {
  return stars >= 4 ? 'positive' : stars === 3 ? 'neutral' : 'negative';
}

/** Invented people's first names, by the language they write in. */
export const FIRST_NAMES: Readonly<Record<Language, readonly string[]>> = {
  en: ['Olivia', 'James', 'Amelia', 'Noah', 'Harper', 'Liam', 'Grace', 'Ethan', 'Maya', 'Owen', 'Priya', 'Samir', 'Hannah', 'Tom'],
  de: ['Lukas', 'Anna', 'Jonas', 'Lea', 'Felix', 'Marie', 'Paul', 'Sophie', 'Emil', 'Greta'],
  fr: ['Camille', 'Louis', 'Chloé', 'Hugo', 'Léa', 'Jules', 'Manon', 'Théo', 'Inès', 'Arthur'],
  es: ['Lucía', 'Mateo', 'Sofía', 'Diego', 'Valentina', 'Pablo', 'Carmen', 'Javier', 'Elena', 'Andrés'],
};

/** Invented people's last names, by language. */
export const LAST_NAMES: Readonly<Record<Language, readonly string[]>> = {
  en: ['Carter', 'Bennett', 'Hughes', 'Reed', 'Foster', 'Murphy', 'Nakamura', 'Okafor', 'Patel', 'Walsh', 'Ellison', 'Brooks'],
  de: ['Müller', 'Schneider', 'Fischer', 'Weber', 'Becker', 'Hoffmann', 'Krüger', 'Lange'],
  fr: ['Martin', 'Bernard', 'Dubois', 'Moreau', 'Laurent', 'Lefèvre', 'Girard', 'Roux'],
  es: ['García', 'Fernández', 'López', 'Martínez', 'Sánchez', 'Romero', 'Navarro', 'Ortega'],
};

/** Words App Store nicknames are made of: `Hungry Otter 42`. */
export const NICKNAME_WORDS: readonly string[] = ['Happy', 'Hungry', 'Night', 'Quiet', 'Brunch', 'Coffee', 'Lunch', 'Rainy', 'Sunny', 'Late'];
/** The nouns of App Store nicknames. */
export const NICKNAME_NOUNS: readonly string[] = ['Diner', 'Owl', 'Foodie', 'Otter', 'Cook', 'Regular', 'Walker', 'Fox'];

interface Phrases {
  openers: readonly string[];
  details: readonly string[];
  closers: readonly string[];
  titles: readonly string[];
}

type Book = Readonly<Record<Language, Readonly<Record<Mood, Phrases>>>>;

const VENUE: Book = {
  en: {
    positive: {
      openers: ['Wonderful evening.', 'Our new favourite spot.', 'Absolutely loved it.', 'Great find in the neighbourhood.', 'Came for a birthday dinner and it was perfect.'],
      details: [
        'The risotto was perfectly cooked and the portion generous.',
        'Service was warm and quick, even on a busy Saturday.',
        'The wine list has some real gems at fair prices.',
        'The terrace is lovely at sunset.',
        'Staff remembered us from our last visit.',
        'The fish & chips were crisp and light.',
        'The lemon tart alone is worth the trip.',
      ],
      closers: ['Highly recommended!', "We'll be back soon.", 'Book ahead on weekends.', ''],
      titles: ['Lovely dinner', 'Our new favourite', 'Great food and service', 'Perfect birthday dinner', 'Worth every penny'],
    },
    neutral: {
      openers: ['Decent but not memorable.', 'Good food, slow service.', 'It was fine.', 'Mixed feelings about this one.'],
      details: [
        'The gnocchi were good but a little salty.',
        'We waited twenty minutes for our table despite booking.',
        'Prices are on the high side for the portions.',
        'It gets very noisy on a Friday night.',
        'The dessert menu was shorter than advertised.',
      ],
      closers: ['Might give it another try.', 'OK for a quick bite.', ''],
      titles: ['Decent, not great', 'Good food, slow service', 'A bit pricey', 'Fine for a weeknight'],
    },
    negative: {
      openers: ['Disappointing.', 'Not coming back.', 'What a letdown.', 'Really not what we expected.'],
      details: [
        'The steak arrived cold and overcooked.',
        'We waited over an hour for our mains.',
        'The waiter was rude when we asked about the bill.',
        'The table was sticky and the room far too loud.',
        'We were charged for drinks we never ordered.',
      ],
      closers: ['Avoid.', 'Such a shame, it used to be good.', ''],
      titles: ['Disappointing', 'Never again', 'Cold food, long wait', 'Overpriced and slow'],
    },
  },
  de: {
    positive: {
      openers: ['Ein wunderbarer Abend.', 'Unser neues Lieblingslokal.', 'Rundum gelungen.', 'Eine tolle Entdeckung im Viertel.'],
      details: [
        'Das Risotto war auf den Punkt gekocht.',
        'Der Service war herzlich und schnell.',
        'Die Weinkarte bietet echte Schätze zu fairen Preisen.',
        'Die Terrasse ist bei Sonnenuntergang traumhaft.',
        'Die Zitronentarte allein lohnt den Besuch.',
      ],
      closers: ['Absolut empfehlenswert!', 'Wir kommen bald wieder.', ''],
      titles: ['Wunderbarer Abend', 'Sehr zu empfehlen', 'Tolles Essen, toller Service'],
    },
    neutral: {
      openers: ['Ganz in Ordnung.', 'Gutes Essen, langsamer Service.', 'Solide, aber nicht besonders.'],
      details: [
        'Die Gnocchi waren gut, aber etwas zu salzig.',
        'Trotz Reservierung mussten wir zwanzig Minuten warten.',
        'Die Preise sind für die Portionen recht hoch.',
        'Am Freitagabend ist es sehr laut.',
      ],
      closers: ['Vielleicht versuchen wir es noch einmal.', ''],
      titles: ['Ganz okay', 'Solide', 'Etwas teuer'],
    },
    negative: {
      openers: ['Enttäuschend.', 'Leider nie wieder.', 'Das war nichts.'],
      details: [
        'Das Steak kam kalt und zäh an den Tisch.',
        'Wir haben über eine Stunde auf das Hauptgericht gewartet.',
        'Der Kellner war unfreundlich, als wir nach der Rechnung fragten.',
        'Uns wurden Getränke berechnet, die wir nie bestellt hatten.',
      ],
      closers: ['Schade.', 'Nicht zu empfehlen.', ''],
      titles: ['Enttäuschend', 'Nie wieder', 'Kalt und langsam'],
    },
  },
  fr: {
    positive: {
      openers: ['Une soirée merveilleuse.', 'Notre nouvelle adresse préférée.', 'Un vrai coup de cœur.', 'Une belle découverte dans le quartier.'],
      details: [
        'Le risotto était parfaitement cuit.',
        'Le service était chaleureux et rapide.',
        'La carte des vins réserve de belles surprises à prix doux.',
        'La terrasse est superbe au coucher du soleil.',
        'La tarte au citron vaut à elle seule le détour.',
      ],
      closers: ['Je recommande vivement !', 'Nous reviendrons très vite.', ''],
      titles: ['Soirée parfaite', 'Un coup de cœur', 'Excellent de bout en bout'],
    },
    neutral: {
      openers: ['Correct sans plus.', 'Bonne cuisine, service lent.', 'Une expérience en demi-teinte.'],
      details: [
        'Les gnocchis étaient bons mais un peu trop salés.',
        'Nous avons attendu vingt minutes malgré la réservation.',
        'Les prix sont un peu élevés pour les portions.',
        'La salle est très bruyante le vendredi soir.',
      ],
      closers: ['À retenter peut-être.', ''],
      titles: ['Correct', 'Service un peu lent', 'Un peu cher'],
    },
    negative: {
      openers: ['Décevant.', 'Nous ne reviendrons pas.', 'Quelle déception.'],
      details: [
        'Le steak est arrivé froid et trop cuit.',
        'Plus d’une heure d’attente pour les plats.',
        'Le serveur a été désagréable au moment de l’addition.',
        'On nous a facturé des boissons jamais commandées.',
      ],
      closers: ['À éviter.', 'Dommage.', ''],
      titles: ['Décevant', 'À éviter', 'Froid et lent'],
    },
  },
  es: {
    positive: {
      openers: ['Una noche maravillosa.', 'Nuestro nuevo sitio favorito.', 'Nos encantó.', 'Un gran descubrimiento en el barrio.'],
      details: [
        'El risotto estaba en su punto.',
        'El servicio fue cálido y rápido.',
        'La carta de vinos tiene auténticas joyas a buen precio.',
        'La terraza es preciosa al atardecer.',
        'La tarta de limón por sí sola merece la visita.',
      ],
      closers: ['¡Muy recomendable!', 'Volveremos pronto.', ''],
      titles: ['Noche perfecta', 'Muy recomendable', 'Comida y servicio excelentes'],
    },
    neutral: {
      openers: ['Correcto, sin más.', 'Buena comida, servicio lento.', 'Una experiencia irregular.'],
      details: [
        'Los ñoquis estaban buenos pero algo salados.',
        'Esperamos veinte minutos a pesar de tener reserva.',
        'Los precios son algo altos para las raciones.',
        'Los viernes por la noche hay mucho ruido.',
      ],
      closers: ['Quizá volvamos a probar.', ''],
      titles: ['Correcto', 'Servicio algo lento', 'Un poco caro'],
    },
    negative: {
      openers: ['Decepcionante.', 'No volveremos.', 'Qué decepción.'],
      details: [
        'El filete llegó frío y demasiado hecho.',
        'Esperamos más de una hora por los platos principales.',
        'El camarero fue grosero cuando pedimos la cuenta.',
        'Nos cobraron bebidas que nunca pedimos.',
      ],
      closers: ['No lo recomiendo.', 'Una pena.', ''],
      titles: ['Decepcionante', 'No volveremos', 'Frío y lento'],
    },
  },
};

const APP: Book = {
  en: {
    positive: {
      openers: ['Great app for ordering ahead.', 'Does exactly what it should.', 'Love this app.', 'Best restaurant app I use.'],
      details: [
        'Ordering takes two taps and pickup is always on time.',
        'The loyalty points finally show up right away.',
        'Dark mode looks great and the menu loads fast.',
        'Paying with Apple Pay & Google Pay works every time.',
        'Table booking is quick and the reminders are handy.',
      ],
      closers: ['Five stars.', 'Keep it up!', ''],
      titles: ['Quick and easy', 'Love it', 'Great for pickup orders', 'Works perfectly'],
    },
    neutral: {
      openers: ['Works, mostly.', 'Useful but a bit clunky.', 'Does the job.'],
      details: [
        'The menu is slow to load on mobile data.',
        'I have to log in again every few days.',
        'Notifications arrive late sometimes.',
        'Would love to save my usual order.',
      ],
      closers: ['Could be better.', ''],
      titles: ['Decent', 'Could be better', 'Needs polish'],
    },
    negative: {
      openers: ['Frustrating.', 'Broken since the last update.', 'Uninstalled.'],
      details: [
        'It crashes at checkout every single time.',
        "I can't log in after the update.",
        'Payment failed twice and I was still charged.',
        'My order never reached the kitchen.',
      ],
      closers: ['Please fix this.', 'Avoid for now.', ''],
      titles: ['Crashes at checkout', 'Broken', 'Charged twice', 'Login broken'],
    },
  },
  de: {
    positive: {
      openers: ['Super App zum Vorbestellen.', 'Funktioniert einwandfrei.', 'Tolle App.'],
      details: ['Bestellen geht mit zwei Klicks und die Abholung klappt immer.', 'Die Treuepunkte werden sofort gutgeschrieben.', 'Die Tischreservierung ist schnell erledigt.'],
      closers: ['Fünf Sterne.', ''],
      titles: ['Schnell und einfach', 'Top App', 'Klappt immer'],
    },
    neutral: {
      openers: ['Funktioniert meistens.', 'Brauchbar, aber umständlich.'],
      details: ['Die Speisekarte lädt langsam.', 'Ich muss mich ständig neu anmelden.'],
      closers: ['Da geht noch mehr.', ''],
      titles: ['Ganz okay', 'Ausbaufähig'],
    },
    negative: {
      openers: ['Ärgerlich.', 'Seit dem Update kaputt.'],
      details: ['Die App stürzt beim Bezahlen ab.', 'Die Zahlung schlug fehl und trotzdem wurde abgebucht.', 'Meine Bestellung kam nie in der Küche an.'],
      closers: ['Bitte beheben.', ''],
      titles: ['Stürzt ab', 'Kaputt', 'Doppelt abgebucht'],
    },
  },
  fr: {
    positive: {
      openers: ['Super appli pour commander à l’avance.', 'Fonctionne parfaitement.', 'J’adore cette appli.'],
      details: ['Deux clics pour commander et le retrait est toujours à l’heure.', 'Les points de fidélité s’affichent tout de suite.', 'La réservation de table est très rapide.'],
      closers: ['Cinq étoiles.', ''],
      titles: ['Simple et rapide', 'Parfait', 'Très pratique'],
    },
    neutral: {
      openers: ['Ça marche, la plupart du temps.', 'Utile mais un peu lourde.'],
      details: ['Le menu met du temps à charger.', 'Il faut se reconnecter sans arrêt.'],
      closers: ['Peut mieux faire.', ''],
      titles: ['Correct', 'Peut mieux faire'],
    },
    negative: {
      openers: ['Agaçant.', 'Inutilisable depuis la mise à jour.'],
      details: ['L’appli plante au moment de payer.', 'Le paiement a échoué mais j’ai quand même été débité.', 'Ma commande n’est jamais arrivée en cuisine.'],
      closers: ['À corriger vite.', ''],
      titles: ['Plante au paiement', 'Inutilisable', 'Débité deux fois'],
    },
  },
  es: {
    positive: {
      openers: ['Gran app para pedir con antelación.', 'Funciona perfectamente.', 'Me encanta esta app.'],
      details: ['Pedir lleva dos toques y la recogida siempre es puntual.', 'Los puntos de fidelidad aparecen al momento.', 'Reservar mesa es rapidísimo.'],
      closers: ['Cinco estrellas.', ''],
      titles: ['Rápida y sencilla', 'Genial', 'Muy práctica'],
    },
    neutral: {
      openers: ['Funciona, casi siempre.', 'Útil pero algo torpe.'],
      details: ['El menú tarda en cargar.', 'Tengo que volver a iniciar sesión cada pocos días.'],
      closers: ['Podría mejorar.', ''],
      titles: ['Correcta', 'Mejorable'],
    },
    negative: {
      openers: ['Frustrante.', 'Rota desde la última actualización.'],
      details: ['Se cierra al pagar cada vez.', 'El pago falló y aun así me cobraron.', 'Mi pedido nunca llegó a la cocina.'],
      closers: ['Arreglen esto, por favor.', ''],
      titles: ['Se cierra al pagar', 'No funciona', 'Cobro doble'],
    },
  },
};

const MENTION: Book = {
  en: {
    positive: {
      openers: ['Best brunch in town at @sandboxbistro 🥐', 'Thank you @sandboxbistro for the amazing birthday cake!', 'Date night at @sandboxbistro, wonderful as always ❤️'],
      details: ['The lemon tart is incredible.', 'Lovely staff & great coffee.', 'Highly recommend the tasting menu.'],
      closers: ['#foodie', ''],
      titles: [],
    },
    neutral: {
      openers: ['Trying @sandboxbistro tonight.', 'Anyone been to @sandboxbistro lately?', 'New menu at @sandboxbistro this week.'],
      details: ['Will report back.', 'Looking for a table for six on Friday.', 'Curious about the vegan options.'],
      closers: [''],
      titles: [],
    },
    negative: {
      openers: ['Waited 45 minutes at @sandboxbistro tonight, terrible service 😞', '@sandboxbistro my order was wrong again.', 'Cold food and a rude waiter at @sandboxbistro.'],
      details: ['Really disappointed.', 'Not going back.', 'Awful evening.'],
      closers: [''],
      titles: [],
    },
  },
  de: {
    positive: { openers: ['Bester Brunch der Stadt bei @sandboxbistro 🥐'], details: ['Die Zitronentarte ist ein Traum.'], closers: [''], titles: [] },
    neutral: { openers: ['Heute Abend bei @sandboxbistro.'], details: ['Mal sehen, wie es wird.'], closers: [''], titles: [] },
    negative: { openers: ['45 Minuten gewartet bei @sandboxbistro.'], details: ['Sehr enttäuschend.'], closers: [''], titles: [] },
  },
  fr: {
    positive: { openers: ['Meilleur brunch de la ville chez @sandboxbistro 🥐'], details: ['La tarte au citron est divine.'], closers: [''], titles: [] },
    neutral: { openers: ['Ce soir, dîner chez @sandboxbistro.'], details: ['On verra bien.'], closers: [''], titles: [] },
    negative: { openers: ['45 minutes d’attente chez @sandboxbistro.'], details: ['Très déçu.'], closers: [''], titles: [] },
  },
  es: {
    positive: { openers: ['El mejor brunch de la ciudad en @sandboxbistro 🥐'], details: ['La tarta de limón es increíble.'], closers: [''], titles: [] },
    neutral: { openers: ['Esta noche cenamos en @sandboxbistro.'], details: ['Ya os contaré.'], closers: [''], titles: [] },
    negative: { openers: ['45 minutos de espera en @sandboxbistro.'], details: ['Muy decepcionante.'], closers: [''], titles: [] },
  },
};

const BOOKS: Readonly<Record<Topic, Book>> = { venue: VENUE, app: APP, mention: MENTION };

/** The parts a review text is assembled from. */
export function phrasesFor(topic: Topic, language: Language, mood: Mood): Phrases {
  return BOOKS[topic][language][mood];
}

/** Owner replies, by language and mood: `{name}` is the reviewer's first name. */
export const REPLIES: Readonly<Record<Topic, Readonly<Record<Language, Readonly<Record<Mood, readonly string[]>>>>>> = {
  venue: {
    en: {
      positive: ["Thank you so much, {name}! We're delighted you enjoyed your visit.", 'Thanks {name}, see you again soon!'],
      neutral: ["Thanks for the feedback, {name}. We'll pass it on to the team."],
      negative: ["We're sorry to hear this, {name}. Please write to hello@sandboxbistro.example so we can make it right."],
    },
    de: {
      positive: ['Vielen Dank, {name}! Schön, dass es Ihnen gefallen hat.'],
      neutral: ['Danke für Ihr Feedback, {name}. Wir geben es an das Team weiter.'],
      negative: ['Das tut uns leid, {name}. Bitte schreiben Sie uns an hello@sandboxbistro.example.'],
    },
    fr: {
      positive: ['Merci beaucoup, {name} ! Ravis que vous ayez apprécié.'],
      neutral: ['Merci pour votre retour, {name}. Nous le transmettons à l’équipe.'],
      negative: ['Nous sommes désolés, {name}. Écrivez-nous à hello@sandboxbistro.example.'],
    },
    es: {
      positive: ['¡Muchas gracias, {name}! Nos alegra que lo disfrutara.'],
      neutral: ['Gracias por su opinión, {name}. Se la trasladamos al equipo.'],
      negative: ['Lamentamos lo ocurrido, {name}. Escríbanos a hello@sandboxbistro.example.'],
    },
  },
  app: {
    en: {
      positive: ['Thanks for the kind words!', 'Thank you, glad ordering ahead works for you.'],
      neutral: ["Thanks! A faster menu is coming in the next release."],
      negative: ['Sorry about that: version 4.3 fixes the checkout crash. Please update and let us know.'],
    },
    de: { positive: ['Danke für das Lob!'], neutral: ['Danke! Eine schnellere Speisekarte kommt mit dem nächsten Update.'], negative: ['Das tut uns leid: Version 4.3 behebt den Absturz.'] },
    fr: { positive: ['Merci pour ce gentil message !'], neutral: ['Merci ! Un menu plus rapide arrive bientôt.'], negative: ['Désolés : la version 4.3 corrige le plantage.'] },
    es: { positive: ['¡Gracias por sus palabras!'], neutral: ['¡Gracias! Un menú más rápido llega pronto.'], negative: ['Lo sentimos: la versión 4.3 corrige el cierre.'] },
  },
  mention: {
    en: { positive: ['Thank you {name}! See you soon 🙏'], neutral: ['Hope you enjoy it, {name}!'], negative: ['So sorry {name}, please send us a DM so we can make it right.'] },
    de: { positive: ['Danke {name}! 🙏'], neutral: ['Viel Spaß, {name}!'], negative: ['Das tut uns leid, {name}. Schreib uns bitte eine DM.'] },
    fr: { positive: ['Merci {name} ! 🙏'], neutral: ['Bonne soirée, {name} !'], negative: ['Désolés {name}, écris-nous en message privé.'] },
    es: { positive: ['¡Gracias {name}! 🙏'], neutral: ['¡Que lo disfrutes, {name}!'], negative: ['Lo sentimos {name}, escríbenos por mensaje privado.'] },
  },
};

/** The account's own posts under its media (Instagram), which are not reviews. */
export const OWNER_POSTS: readonly string[] = ['Pre-orders open until Friday noon!', 'Thanks everyone for coming 🙏', 'Back on the menu this weekend.'];

/** Captions of the account's own media (Instagram). */
export const MEDIA_CAPTIONS: readonly string[] = [
  'Our autumn risotto is back 🍂 Slow-cooked with porcini from the Hillside farm. Come early, it goes fast! #risotto #bistro',
  'Closed on Thursday for the holiday.',
  'How we make our lemon tart 🎥',
  'New terrace, same view 🌅',
  'Meet Ana, our new pastry chef 👩‍🍳',
  'Brunch is now served until 3pm on Sundays.',
  'Wine tasting night: Friday at 7 🍷',
  'Thank you for 10 years of Sandbox Bistro ❤️',
];
