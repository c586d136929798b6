/**
 * The vocabulary of the benchmark's generated catalog (bench/_catalog.ts): invented brands,
 * model names and people, and per category the kinds of product, the specifications with their
 * ranges, features, care advice and questions a shop's manuals answer. Everything here was
 * written for this project; none of it names a real company or product, and no word is taken
 * from the 24 products of `data/`, so a generated product never links to a real one by name.
 *
 * @module
 */

/** A specification: a numeric range (`[label, low, high, step, unit]`) or a list of choices. */
export type SpecRule =
  | readonly [label: string, low: number, high: number, step: number, unit: string]
  | readonly [label: string, choices: readonly string[]];

/** One category of the generated catalog. */
export interface CategoryWords {
  category: string;
  /** What the product is, the last words of its name ("Dome Tent"). */
  kinds: readonly string[];
  /** The number in a name and what it means ("2" people, "45" litres), or none. */
  number?: { low: number; high: number; step: number; means: string };
  price: readonly [low: number, high: number];
  /** Weight range in grams. */
  grams: readonly [low: number, high: number];
  specs: readonly SpecRule[];
  features: readonly string[];
  /** Who or what it is for ("weekend backpacking in the hills"). */
  uses: readonly string[];
  care: readonly string[];
  /** Questions and answers; `{name}` is the product's short name. */
  faq: readonly (readonly [question: string, answer: string])[];
  /** What the warranty leaves out. */
  exclusions: readonly string[];
}

/** Invented brands (none is a real company, none is a brand of `data/`). */
export const BRANDS = [
  "Fernhallow",
  "Quillstone",
  "Basaltline",
  "Harrowgate Outdoor",
  "Tamarack Row",
  "Brackenfield",
  "Lowveld Supply",
  "Cindertop",
  "Moraine & Finch",
  "Kestrel Bay",
  "Otterbrook",
  "Ironbark Trailworks",
  "Vantor Gear",
  "Halvard & Sons",
  "Wintercress",
  "Sable Hollow",
  "Duneline",
  "Pikemoor",
  "Larchgrove",
  "Redtarn Equipment",
] as const;

/** First halves of invented model names. */
export const MODEL_HEADS = [
  "Ash",
  "Bram",
  "Cor",
  "Dun",
  "Elk",
  "Fen",
  "Gorse",
  "Hal",
  "Isk",
  "Juni",
  "Kel",
  "Lark",
  "Moss",
  "Nor",
  "Oak",
  "Pine",
  "Quar",
  "Rill",
  "Sedge",
  "Thorn",
  "Umber",
  "Vel",
  "Wold",
  "Yar",
  "Zeph",
  "Bir",
  "Cal",
  "Dray",
] as const;

/**
 * Model names the halves would spell that are real companies or shops (lower case): never used.
 */
export const RESERVED_MODELS: ReadonlySet<string> = new Set([
  "oakley",
  "halford",
  "ashford",
  "bramley",
  "oakdale",
]);

/** Second halves of invented model names. */
export const MODEL_TAILS = [
  "wick",
  "mere",
  "ford",
  "holt",
  "brook",
  "combe",
  "stead",
  "shaw",
  "ley",
  "tor",
  "fell",
  "gill",
  "wyn",
  "aven",
  "dale",
  "moor",
  "crest",
  "ness",
] as const;

/** Suffixes some names carry after the kind. */
export const NAME_SUFFIXES = ["", "", "", "", "Pro", "Lite", "XL", "Plus", "II", "Trek"] as const;

/** Invented given names and family names of customers. */
export const FIRST_NAMES = [
  "Anouk",
  "Bram",
  "Cleo",
  "Dario",
  "Elin",
  "Farid",
  "Greta",
  "Hiro",
  "Ines",
  "Jonah",
  "Kaia",
  "Lior",
  "Mirela",
  "Nils",
  "Odette",
  "Pavel",
  "Quinn",
  "Rosalind",
  "Soren",
  "Tamsin",
  "Ugo",
  "Vesna",
  "Wren",
  "Xavi",
  "Yusra",
  "Zofia",
  "Amara",
  "Bodhi",
  "Callum",
  "Delphine",
] as const;

/** Invented family names of customers. */
export const LAST_NAMES = [
  "Abernethy",
  "Brightwater",
  "Castellan",
  "Dunmore",
  "Eskildsen",
  "Fairbairn",
  "Galloway",
  "Hollander",
  "Ishikawa",
  "Jovanovic",
  "Kowalczyk",
  "Lindqvist",
  "Mbeki",
  "Nakashima",
  "Oyelaran",
  "Pellegrino",
  "Quarrie",
  "Rasmussen",
  "Szabo",
  "Thackeray",
  "Underhill",
  "Valdivia",
  "Whitcombe",
  "Yilmaz",
  "Zamora",
] as const;

/** Invented street names and towns for addresses. */
export const STREETS = [
  "Larkspur Lane",
  "Quarry Hill Road",
  "Millrace Way",
  "Foxglove Court",
  "Old Ferry Road",
  "Heronsgate Drive",
  "Birchwood Terrace",
  "Saltbox Street",
  "Windrow Avenue",
  "Copperbeech Close",
] as const;

/** Towns with their state and a ZIP code prefix (the towns are invented). */
export const TOWNS = [
  ["Brinmoor", "WA", "98"],
  ["Ketchell", "ID", "83"],
  ["Sorrel Falls", "MT", "59"],
  ["Hadley Pass", "CO", "80"],
  ["Marrowgate", "UT", "84"],
  ["Pinecastle", "OR", "97"],
  ["Lower Tilby", "VT", "05"],
  ["Greywater", "NM", "87"],
] as const;

const COMMON_EXCLUSIONS = [
  "normal wear and tear",
  "damage from accidents, misuse or improper care",
  "alterations or repairs made by anyone other than an authorised service centre",
  "fading or discolouration from prolonged sun exposure",
] as const;

/** The categories, each with its own vocabulary. */
export const CATEGORIES: readonly CategoryWords[] = [
  {
    category: "Tents",
    kinds: ["Dome Tent", "Tunnel Tent", "Backpacking Tent", "Cabin Tent", "Pole Shelter"],
    number: { low: 1, high: 6, step: 1, means: "sleeping places" },
    price: [119, 689],
    grams: [980, 9200],
    specs: [
      ["Floor area", 1.8, 9.5, 0.1, "m²"],
      ["Peak height", 95, 210, 5, "cm"],
      ["Fly fabric", [
        "15D silnylon",
        "30D ripstop polyester",
        "68D polyester taffeta",
        "20D nylon",
      ]],
      ["Hydrostatic head", 1500, 6000, 500, "mm"],
      ["Poles", ["aluminium DAC-style", "7001 aluminium", "fibreglass", "carbon fibre"]],
      ["Doors", ["1", "2", "3"]],
      ["Pitch time", 3, 15, 1, "minutes"],
    ],
    features: [
      "Inner and fly pitch together in one step",
      "Two vestibules for boots and packs",
      "Mesh inner panels that cut condensation",
      "Reflective guylines and tensioners",
      "Colour-coded pole sleeves",
      "Internal pockets and a lantern loop",
      "Storm flaps over every zip",
      "Vents at both ends that can be opened from inside",
      "Bathtub floor with taped seams",
      "Compression stuff sack included",
    ],
    uses: [
      "fast-and-light backpacking trips",
      "family weekends at a campground",
      "exposed camps above the tree line",
      "festival and car camping",
      "bikepacking and canoe touring",
    ],
    care: [
      "Pitch the tent at home before the first trip to check that every part is there.",
      "Never pack the tent away wet for more than a day; dry it fully to prevent mildew.",
      "Clean the fly with lukewarm water and a soft sponge, without detergents.",
      "Keep zips free of sand and grit by brushing them after beach trips.",
      "Store the tent loosely in a cool, dry place rather than in its compression sack.",
    ],
    faq: [
      [
        "Can I use {name} in winter?",
        "It is built for three seasons; heavy snow loads can bend the poles.",
      ],
      ["Does {name} come with a footprint?", "No, a matching footprint is sold separately."],
      [
        "How many people really fit in {name}?",
        "The rated number of sleepers on standard mats, with little room for gear inside.",
      ],
      [
        "Can I replace a broken pole section?",
        "Yes, spare sections and a splint are available from customer service.",
      ],
      ["Is the fly fire-retardant?", "No. Keep stoves and flames well away from the fabric."],
    ],
    exclusions: ["pole damage from wind without guylines pitched", "UV degradation of the fly"],
  },
  {
    category: "Backpacks",
    kinds: ["Daypack", "Trekking Pack", "Hydration Pack", "Travel Pack", "Alpine Pack"],
    number: { low: 12, high: 80, step: 2, means: "litres" },
    price: [45, 379],
    grams: [320, 2600],
    specs: [
      ["Torso range", ["38–46 cm", "41–51 cm", "44–56 cm", "one size"]],
      ["Main fabric", [
        "100D recycled nylon",
        "420D nylon oxford",
        "210D ripstop",
        "Dyneema-blend grid",
      ]],
      ["Frame", [
        "none",
        "HDPE framesheet",
        "aluminium perimeter frame",
        "removable foam back pad",
      ]],
      ["Max load", 5, 25, 1, "kg"],
      ["Hydration sleeve", ["yes, up to 2 L", "yes, up to 3 L", "no"]],
      ["Pockets", 3, 11, 1, ""],
    ],
    features: [
      "Padded hip belt with zipped pockets",
      "Stretch front pocket for a wet layer",
      "Ice axe loop and trekking pole holders",
      "Removable lid that becomes a waist pack",
      "Side compression straps",
      "Air-channel back panel",
      "Key clip and organiser pocket",
      "Sternum strap with emergency whistle",
      "Rain cover in a base pocket",
      "Lockable zips for travel",
    ],
    uses: [
      "day hikes and commuting",
      "multi-day treks between huts",
      "trail running and fast hiking",
      "long-haul travel and city breaks",
      "alpine climbs and scrambles",
    ],
    care: [
      "Empty every pocket and shake out crumbs and grit after each trip.",
      "Hand wash with mild soap in a tub; never machine wash or tumble dry.",
      "Hang the pack upside down to dry, away from direct heat.",
      "Loosen all straps before storing so the foam keeps its shape.",
    ],
    faq: [
      [
        "Is {name} waterproof?",
        "The fabric resists showers, but seams are not taped; use the rain cover or a liner in steady rain.",
      ],
      [
        "Can I take {name} as cabin luggage?",
        "Packed to its compression straps it fits most airline cabin limits; check your airline's sizes.",
      ],
      [
        "How do I adjust the torso length?",
        "Release the hook-and-loop panel behind the shoulder straps and slide it up or down.",
      ],
      ["Does it fit a laptop?", "The internal sleeve takes a laptop up to 15 inches."],
    ],
    exclusions: ["damage from overloading beyond the stated maximum", "airline baggage handling"],
  },
  {
    category: "Hiking Clothing",
    kinds: [
      "Rain Jacket",
      "Softshell Jacket",
      "Fleece Pullover",
      "Insulated Vest",
      "Trekking Pants",
      "Merino Base Layer",
    ],
    price: [39, 349],
    grams: [140, 780],
    specs: [
      ["Fabric", [
        "3-layer nylon membrane",
        "polyester grid fleece",
        "merino wool 180 g/m²",
        "stretch nylon-elastane",
        "recycled polyester ripstop",
      ]],
      ["Waterproof rating", 5000, 28000, 1000, "mm"],
      ["Breathability", 8000, 30000, 1000, "g/m²/24h"],
      ["Fit", ["regular", "athletic", "relaxed", "layering"]],
      ["Sizes", ["XS–XXL", "S–XL", "XS–3XL"]],
      ["Packs into", ["its own pocket", "a stuff sack", "a chest pocket"]],
    ],
    features: [
      "Helmet-compatible hood with one-hand adjuster",
      "Pit zips for venting on climbs",
      "Two hand pockets above the hip-belt line",
      "Articulated knees and a gusseted crotch",
      "Thumb loops on the cuffs",
      "Flatlock seams that do not chafe under a pack",
      "PFC-free water-repellent finish",
      "Reflective trims for dusk",
      "Zip-off lower legs",
      "Drop hem that keeps the lower back covered",
    ],
    uses: [
      "wet hill walking",
      "cold mornings at camp",
      "fast hikes in changeable weather",
      "desert treks with sun protection",
      "layering under a shell in winter",
    ],
    care: [
      "Machine wash at 30 °C with a technical wash; never use fabric softener.",
      "Tumble dry on low heat to reactivate the water-repellent finish.",
      "Close every zip and hook-and-loop tab before washing.",
      "Do not dry clean or iron the membrane.",
    ],
    faq: [
      [
        "Does {name} run true to size?",
        "Yes; pick your usual size, or one up to layer a thick fleece underneath.",
      ],
      [
        "Why does the fabric feel wet inside?",
        "That is usually condensation from hard effort; open the vents to let moisture out.",
      ],
      [
        "Can the finish be renewed?",
        "Yes, with a wash-in or spray-on water repellent after washing.",
      ],
      ["Is {name} windproof?", "It blocks most wind; the cuffs and hem seal with adjusters."],
    ],
    exclusions: ["snags and abrasion from rock or brush", "heat damage from campfires"],
  },
  {
    category: "Footwear",
    kinds: ["Hiking Boots", "Trail Shoes", "Approach Shoes", "Hiking Sandals", "Winter Boots"],
    price: [59, 319],
    grams: [420, 1650],
    specs: [
      ["Upper", [
        "nubuck leather",
        "synthetic mesh",
        "full-grain leather",
        "knit textile with TPU overlays",
      ]],
      ["Lining", ["waterproof membrane", "unlined mesh", "wool felt", "textile"]],
      ["Outsole", [
        "deep-lug rubber, 5 mm lugs",
        "sticky climbing rubber",
        "multi-directional 4 mm lugs",
        "ice-grip compound",
      ]],
      ["Drop", 4, 12, 2, "mm"],
      ["Sizes", ["EU 36–48", "EU 38–47", "EU 35–46"]],
      ["Weight per pair", 700, 1900, 10, "g"],
    ],
    features: [
      "Rubber toe cap against rock strikes",
      "Lace locks for a split lacing zone",
      "Removable contoured insole",
      "Gaiter hook at the front",
      "Heel pull loop",
      "Shock-absorbing midsole",
      "Resoleable construction",
      "Quick-dry lining",
      "Rock plate under the forefoot",
    ],
    uses: [
      "rough trails with a heavy pack",
      "fast miles on dry singletrack",
      "scrambling and via ferrata approaches",
      "river crossings and summer trails",
      "snowy winter walks",
    ],
    care: [
      "Brush off mud after every walk and rinse with clean water.",
      "Dry at room temperature with the insoles removed; never near a stove or radiator.",
      "Treat leather with a wax or cream suited to membrane boots.",
      "Stuff with newspaper to keep their shape while drying.",
    ],
    faq: [
      [
        "Do I need to break in {name}?",
        "A few short walks help the upper and insole settle to your feet.",
      ],
      [
        "Is {name} suitable for crampons?",
        "Only flexible strap-on crampons; the sole is not stiff enough for automatic bindings.",
      ],
      [
        "How long does the grip last?",
        "Typically 800 to 1,200 km, depending on terrain and weight.",
      ],
      [
        "Can they be resoled?",
        "Models with a stitched or cemented welt can be resoled by a cobbler.",
      ],
    ],
    exclusions: ["outsole wear", "damage from drying near heat"],
  },
  {
    category: "Camping Tables",
    kinds: ["Roll-Top Table", "Folding Table", "Camp Kitchen", "Side Table"],
    price: [29, 249],
    grams: [690, 9800],
    specs: [
      ["Tabletop", ["aluminium slats", "bamboo slats", "powder-coated steel", "HPL laminate"]],
      ["Height", 38, 86, 2, "cm"],
      ["Top size", ["56 × 40 cm", "70 × 70 cm", "90 × 60 cm", "120 × 70 cm"]],
      ["Load", 15, 60, 5, "kg"],
      ["Packed size", ["52 × 12 × 10 cm", "70 × 14 × 14 cm", "90 × 60 × 6 cm"]],
    ],
    features: [
      "Legs adjust for uneven ground",
      "Carry bag with shoulder strap",
      "Windshield panels for a stove",
      "Mesh shelf under the top",
      "Utensil hooks along the side",
      "Folds flat in seconds",
      "Heat-resistant top for pots",
    ],
    uses: [
      "car camping kitchens",
      "picnics and beach days",
      "lightweight overnight trips",
      "group camps and festivals",
    ],
    care: [
      "Wipe the top with a damp cloth and dry it before folding.",
      "Rinse off salt water after beach trips to stop corrosion of the joints.",
      "Do not stand or sit on the table.",
    ],
    faq: [
      ["Can I put a hot pot on {name}?", "Yes on the metal top; use a trivet on bamboo."],
      [
        "Is {name} stable on sand?",
        "Widen the leg stance and push the feet into the sand a little.",
      ],
      ["Do spare feet exist?", "Yes, replacement feet are available from customer service."],
    ],
    exclusions: ["scratches on the tabletop", "overloading beyond the stated load"],
  },
  {
    category: "Camping Stoves",
    kinds: ["Canister Stove", "Two-Burner Stove", "Wood Stove", "Cook System", "Alcohol Stove"],
    price: [24, 229],
    grams: [60, 5400],
    specs: [
      ["Fuel", [
        "isobutane-propane canister",
        "propane cylinder",
        "wood and twigs",
        "denatured alcohol",
        "white gas",
      ]],
      ["Output", 1200, 4200, 100, "W"],
      ["Boil time for 1 L", 2.5, 9, 0.5, "minutes"],
      ["Burn time", 40, 180, 5, "minutes"],
      ["Ignition", ["piezo igniter", "manual", "electronic push-button"]],
      ["Pot support", ["three folding arms", "four serrated arms", "wide grate"]],
    ],
    features: [
      "Pressure regulator for steady output in the cold",
      "Simmer control that holds a low flame",
      "Integrated windscreen",
      "Stable base for wide pots",
      "Pot and stove nest together",
      "Hanging kit for use under a vestibule awning",
      "Fuel gauge on the canister sleeve",
    ],
    uses: [
      "solo backpacking trips",
      "family camp kitchens",
      "bushcraft without carried fuel",
      "winter expeditions",
    ],
    care: [
      "Let the stove cool completely before packing it.",
      "Check the O-ring for cracks before attaching a canister.",
      "Clean the burner jet with the supplied needle when the flame gets uneven.",
      "Never use the stove in a tent, car or any closed space.",
    ],
    faq: [
      [
        "Does {name} work at altitude?",
        "Yes; boil times get longer above 3,000 m, and a regulator helps.",
      ],
      ["Is fuel included with {name}?", "No, fuel is sold separately."],
      [
        "Can I take {name} on a plane?",
        "The stove can fly if it is clean and empty; fuel may never be carried.",
      ],
      [
        "Why is the flame yellow?",
        "The jet is partly blocked or the fuel is cold; clean the jet and warm the canister.",
      ],
    ],
    exclusions: ["damage from oversized pots trapping heat", "clogging from impure fuel"],
  },
  {
    category: "Sleeping Bags",
    kinds: ["Down Sleeping Bag", "Synthetic Sleeping Bag", "Camp Quilt", "Double Sleeping Bag"],
    number: { low: -20, high: 50, step: 5, means: "°F comfort rating" },
    price: [69, 649],
    grams: [480, 3200],
    specs: [
      ["Fill", [
        "650-fill duck down",
        "800-fill goose down",
        "hollow-fibre polyester",
        "recycled synthetic",
      ]],
      ["Comfort temperature", -25, 12, 1, "°C"],
      ["Shape", ["mummy", "tapered rectangle", "rectangular", "quilt"]],
      ["Length", ["regular 185 cm", "long 200 cm", "short 170 cm"]],
      ["Shell", ["10D nylon", "20D ripstop polyester", "30D nylon taffeta"]],
    ],
    features: [
      "Draught collar and draught tube along the zip",
      "Two-way zip for venting at the feet",
      "Anti-snag zip guard",
      "Pad straps that keep the bag on the mat",
      "Stash pocket for a phone",
      "Storage sack and compression sack included",
      "Water-resistant down treatment",
    ],
    uses: [
      "summer nights in the valleys",
      "shoulder-season backpacking",
      "winter camps on snow",
      "couples at a car campsite",
    ],
    care: [
      "Air the bag out every morning on a trip.",
      "Store it loose in the large storage sack, never compressed.",
      "Wash rarely, in a front-loading machine with a down or technical wash.",
      "Dry on low heat with clean tennis balls to break up clumps.",
    ],
    faq: [
      [
        "Is {name} warm enough for freezing nights?",
        "Check the comfort rating; add a liner for nights close to the limit.",
      ],
      [
        "Can two bags zip together?",
        "Left- and right-zip versions of the same model zip together.",
      ],
      [
        "How small does {name} pack?",
        "The compression sack brings it to roughly the size of a loaf of bread.",
      ],
    ],
    exclusions: ["loss of loft from long compressed storage", "zip damage from forcing"],
  },
  {
    category: "Navigation",
    kinds: ["Baseplate Compass", "Handheld GPS", "GPS Watch", "Altimeter", "Sighting Compass"],
    price: [19, 599],
    grams: [28, 240],
    specs: [
      ["Battery", [
        "none needed",
        "2 × AA",
        "rechargeable, 16 h",
        "rechargeable, 20 days in watch mode",
      ]],
      ["Accuracy", ["±1°", "±2°", "3 m GPS", "±5 m barometric"]],
      ["Display", ["none", "2.2-inch transflective", "1.3-inch colour", "liquid-filled capsule"]],
      ["Water resistance", ["IPX7", "5 ATM", "10 ATM", "splash-proof"]],
      ["Maps", ["none", "topographic maps preloaded", "track-back only"]],
    ],
    features: [
      "Adjustable declination",
      "Luminous bezel and needle",
      "Barometric altimeter with storm alarm",
      "Breadcrumb track back to the start",
      "Romer scales for grid references",
      "Multi-satellite reception",
      "Lanyard with a measuring scale",
    ],
    uses: [
      "map-and-compass courses",
      "off-trail navigation in fog",
      "ski touring and mountaineering",
      "orienteering",
    ],
    care: [
      "Keep compasses away from magnets, phones and steel.",
      "Rinse with fresh water after use near the sea.",
      "Charge the battery every three months when it is stored.",
    ],
    faq: [
      ["Does {name} need a phone signal?", "No, it works anywhere without a network."],
      ["Can I load my own routes?", "Routes in GPX format load over USB on models with a display."],
      [
        "Why does the bubble appear in the capsule?",
        "Cold or altitude can cause a small bubble; it usually vanishes at room temperature.",
      ],
    ],
    exclusions: ["cracked displays from impact", "battery wear after two years"],
  },
  {
    category: "Sleeping Pads",
    kinds: ["Air Pad", "Self-Inflating Mat", "Foam Pad", "Insulated Air Mat"],
    price: [25, 259],
    grams: [290, 2400],
    specs: [
      ["R-value", 1.2, 7.5, 0.1, ""],
      ["Thickness", 1.5, 10, 0.5, "cm"],
      ["Size", ["183 × 51 cm", "196 × 64 cm", "168 × 51 cm"]],
      ["Valve", ["flat one-way valve", "twist valve", "none"]],
      ["Packed size", ["23 × 10 cm", "30 × 16 cm", "51 × 14 cm roll"]],
    ],
    features: [
      "Pump sack included",
      "Non-slip top fabric",
      "Repair kit with patches",
      "Raised side rails",
      "Quiet baffles that do not rustle",
      "Folds to use as a sit pad",
    ],
    uses: ["thru-hiking", "winter camping on snow", "car camping comfort", "kids at camp"],
    care: [
      "Store the pad unrolled with the valve open.",
      "Inflate with the pump sack rather than your breath to keep moisture out.",
      "Wipe with a damp cloth; do not machine wash.",
    ],
    faq: [
      [
        "How do I find a leak in {name}?",
        "Inflate it, brush soapy water over the surface and look for bubbles.",
      ],
      [
        "Is {name} warm enough on snow?",
        "Pads with an R-value of 4 or more are suited to winter use.",
      ],
      ["Can I use it on a cot?", "Yes, it works on cots and bunks as well as on the ground."],
    ],
    exclusions: ["punctures from sharp objects", "valve damage from over-inflation"],
  },
  {
    category: "Lighting",
    kinds: ["Headlamp", "Camp Lantern", "String Lights", "Pocket Torch"],
    price: [15, 149],
    grams: [45, 620],
    specs: [
      ["Brightness", 80, 1200, 20, "lumens"],
      ["Beam distance", 20, 180, 5, "m"],
      ["Run time on low", 20, 200, 5, "hours"],
      ["Battery", ["built-in 1,500 mAh", "3 × AAA", "built-in 4,000 mAh power bank", "1 × 18650"]],
      ["Water resistance", ["IPX4", "IPX6", "IPX7"]],
    ],
    features: [
      "Red light mode that keeps night vision",
      "Lock mode so it cannot switch on in a pack",
      "USB-C charging",
      "Battery level indicator",
      "Tilting head",
      "Dimmable warm white light",
      "Hanging hook and magnetic base",
    ],
    uses: ["night hikes", "evenings at camp", "power cuts at home", "alpine starts before dawn"],
    care: [
      "Charge the battery fully before storage and every few months after.",
      "Dry the light after use in rain before charging.",
      "Clean the lens with a soft cloth.",
    ],
    faq: [
      ["How long does {name} take to charge?", "About three to five hours from a 2 A USB charger."],
      ["Can I use normal batteries?", "Only models with a battery compartment take AAA cells."],
      [
        "Is {name} bright enough for running?",
        "Use the boost mode for fast movement on rough ground.",
      ],
    ],
    exclusions: ["battery capacity loss over time", "water damage beyond the stated rating"],
  },
  {
    category: "Water Treatment",
    kinds: ["Squeeze Filter", "Gravity Filter", "UV Purifier", "Filter Bottle", "Pump Filter"],
    price: [19, 189],
    grams: [60, 520],
    specs: [
      ["Removes", [
        "bacteria and protozoa",
        "bacteria, protozoa and microplastics",
        "bacteria, protozoa and viruses",
      ]],
      ["Pore size", ["0.1 micron", "0.2 micron", "not applicable (UV)"]],
      ["Flow rate", 0.5, 3, 0.1, "L/min"],
      ["Cartridge life", 500, 4000, 100, "litres"],
      ["Capacity", ["0.6 L", "1 L", "4 L", "10 L"]],
    ],
    features: [
      "Backflush syringe for cleaning",
      "Fits standard bottle threads",
      "Hangs from a branch for hands-free filtering",
      "Indicator that shows when to change the cartridge",
      "Carbon stage that improves taste",
    ],
    uses: ["backcountry water sources", "travel abroad", "group camps", "emergency kits"],
    care: [
      "Backflush the filter after every trip.",
      "Never let a used hollow-fibre filter freeze; keep it in your sleeping bag on cold nights.",
      "Dry all parts before storing to stop mould.",
    ],
    faq: [
      ["Does {name} remove viruses?", "Only the UV and purifier models are rated for viruses."],
      [
        "How do I know the cartridge is spent?",
        "The flow slows down and backflushing no longer restores it.",
      ],
      ["Can I filter seawater?", "No. It does not remove salt or chemicals."],
    ],
    exclusions: ["frost damage to filter fibres", "cartridges as consumables"],
  },
  {
    category: "Trekking Poles",
    kinds: ["Trekking Poles", "Folding Poles", "Nordic Walking Poles"],
    price: [35, 219],
    grams: [290, 620],
    specs: [
      ["Shaft", ["7075 aluminium", "carbon fibre", "aluminium-carbon mix"]],
      ["Length", ["100–135 cm", "110–140 cm", "fixed 120 cm"]],
      ["Locks", ["flick locks", "twist locks", "push-button"]],
      ["Packed length", 34, 68, 1, "cm"],
      ["Grip", ["cork", "EVA foam", "rubber"]],
    ],
    features: [
      "Extended foam grip for short holds on climbs",
      "Carbide tips",
      "Snow baskets included",
      "Rubber tip protectors for rock and tarmac",
      "Adjustable wrist straps",
    ],
    uses: ["steep descents", "fast hiking", "trekking with heavy loads", "winter snowshoeing"],
    care: [
      "Take the sections apart and dry them after wet days.",
      "Do not oil the locks; clean them with water only.",
      "Replace worn tips before they expose the shaft.",
    ],
    faq: [
      ["Can {name} hold up a pole tent?", "Yes, set to the height your shelter asks for."],
      ["Are the tips replaceable?", "Yes, replacement tips are sold in pairs."],
    ],
    exclusions: ["shafts bent by side loads", "tips as consumables"],
  },
  {
    category: "Camp Furniture",
    kinds: ["Camp Chair", "Camp Stool", "Hammock", "Camp Cot"],
    price: [25, 299],
    grams: [480, 7600],
    specs: [
      ["Seat height", 15, 50, 1, "cm"],
      ["Max load", 100, 160, 10, "kg"],
      ["Frame", ["aluminium shock-corded", "steel", "none (suspension)"]],
      ["Fabric", ["600D polyester", "ripstop nylon", "breathable mesh"]],
      ["Packed size", ["35 × 12 × 10 cm", "90 × 18 × 18 cm", "25 × 15 cm"]],
    ],
    features: [
      "Cup holder",
      "Side pocket",
      "Tree straps included",
      "Headrest",
      "Wide feet for sand",
    ],
    uses: ["evenings at the campfire", "festivals", "beach days", "backyard naps"],
    care: [
      "Shake out sand and dry the fabric before packing.",
      "Check the hubs and straps for wear before each trip.",
    ],
    faq: [
      ["How much weight does {name} hold?", "Up to the stated maximum load, spread evenly."],
      ["Can I leave {name} out in the rain?", "Yes, but dry it before storing to avoid mildew."],
    ],
    exclusions: ["fabric tears from sharp objects", "loads beyond the stated maximum"],
  },
  {
    category: "Cookware",
    kinds: ["Cook Set", "Titanium Pot", "Kettle", "Frying Pan", "Insulated Mug"],
    price: [14, 159],
    grams: [90, 1900],
    specs: [
      ["Material", [
        "titanium",
        "hard-anodised aluminium",
        "stainless steel",
        "non-stick aluminium",
      ]],
      ["Capacity", 0.35, 4, 0.05, "L"],
      ["Pieces", 1, 9, 1, ""],
      ["Handles", ["folding, heat-insulated", "removable gripper", "fixed silicone-coated"]],
    ],
    features: [
      "Nests over a fuel canister",
      "Measuring marks inside",
      "Strainer lid",
      "Mesh storage bag",
      "Pour spout on both sides",
    ],
    uses: ["one-pot meals on the trail", "group cooking", "morning coffee at camp"],
    care: [
      "Wash with warm water and a soft sponge; no steel wool on coated pans.",
      "Do not heat an empty pot.",
      "Dry before nesting the pieces together.",
    ],
    faq: [
      [
        "Can I use {name} on a campfire?",
        "Steel and titanium pieces can sit in embers; keep coated pans off open fire.",
      ],
      ["Is {name} dishwasher safe?", "Hand washing keeps the finish longer."],
    ],
    exclusions: ["discolouration from heat", "scratches on coatings"],
  },
  {
    category: "Climbing",
    kinds: ["Climbing Harness", "Climbing Helmet", "Belay Device", "Chalk Bag"],
    price: [12, 189],
    grams: [40, 520],
    specs: [
      ["Certification", ["EN 12277 / UIAA 105", "EN 12492 / UIAA 106", "EN 15151-2"]],
      ["Sizes", ["XS–L", "S–XL", "one size"]],
      ["Gear loops", 0, 6, 1, ""],
      ["Shell", ["EPS foam with polycarbonate shell", "webbing", "aluminium"]],
    ],
    features: [
      "Adjustable leg loops",
      "Headlamp clips",
      "Belay loop wear indicator",
      "Brush holder",
    ],
    uses: ["sport climbing", "alpine routes", "indoor walls", "via ferrata"],
    care: [
      "Inspect for wear before every use; retire after a severe fall.",
      "Keep away from chemicals, battery acid and solvents.",
      "Store out of the sun.",
    ],
    faq: [
      [
        "How long does {name} last?",
        "Up to ten years from manufacture in storage; less with heavy use.",
      ],
      ["Can I use {name} for via ferrata?", "Only with a certified via ferrata lanyard."],
    ],
    exclusions: ["any product that has held a fall", "damage from chemicals"],
  },
  {
    category: "Hydration",
    kinds: ["Insulated Bottle", "Hydration Reservoir", "Soft Flask", "Water Carrier"],
    price: [9, 69],
    grams: [30, 640],
    specs: [
      ["Capacity", 0.35, 10, 0.05, "L"],
      ["Material", ["18/8 stainless steel", "BPA-free TPU", "Tritan copolyester"]],
      ["Keeps cold", ["none", "24 hours", "12 hours"]],
      ["Opening", ["wide mouth 63 mm", "slide-top", "bite valve"]],
    ],
    features: ["Leak-proof cap", "Quick-disconnect hose", "Carry loop", "Dishwasher-safe lid"],
    uses: ["long hot hikes", "office and commute", "trail races", "camp water supply"],
    care: [
      "Rinse and air dry after each use.",
      "Clean with warm water and baking soda monthly.",
      "Do not freeze a full stainless bottle.",
    ],
    faq: [
      [
        "Can I put hot drinks in {name}?",
        "Only the insulated steel bottles are made for hot drinks.",
      ],
      [
        "Does {name} give a taste to water?",
        "A rinse with baking soda removes any new-plastic taste.",
      ],
    ],
    exclusions: ["dents from drops", "bite valves as consumables"],
  },
];

/** Generic warranty terms: years (0 means lifetime) with how they are worded. */
export const WARRANTY_YEARS = [1, 2, 2, 3, 5, 10, 0] as const;

/** What every warranty excludes, besides the category's own exclusions. */
export { COMMON_EXCLUSIONS };
