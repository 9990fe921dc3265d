// The closed word lists the screens offer, typed by the unions generated from the Rust enums.
// `allOf` refuses a list that misses a value: a value added in Rust does not type-check here
// until the screens offer it, and a value removed there fails on its own.
import type { AskTopic, Department, ItemKind, Locale, Outcome, Paper, PreferenceTopic, Sentiment } from "../bindings";

type Missing<T, A extends readonly T[]> = Exclude<T, A[number]>;

/** Every value of `T`, in the order given; a compile error names any value left out. */
export function allOf<T>() {
  return <const A extends readonly T[]>(values: A & ([Missing<T, A>] extends [never] ? unknown : { missing: Missing<T, A> })): A => values;
}

export const preferenceTopics = allOf<PreferenceTopic>()(["dietary", "mobility", "rooming", "medical", "other"]);
export const askTopics = allOf<AskTopic>()(["dietary", "mobility", "rooming", "medical", "itinerary", "documents", "other"]);
export const itemKinds = allOf<ItemKind>()(["flight", "hotel", "transfer", "activity", "meal", "note"]);
export const sentiments = allOf<Sentiment>()(["thrilled", "happy", "neutral", "unhappy", "angry"]);

/** The departments a handoff goes to, each staffed with a lead and backups (the founder is not). */
export const staffedDepartments = ["sales", "fulfilment", "service"] as const satisfies readonly Department[];

/** The labels the screens show, where the word alone reads poorly. */
export const sentimentLabels: Record<Sentiment, string> = { thrilled: "Thrilled", happy: "Happy", neutral: "Neutral", unhappy: "Unhappy", angry: "Angry" };
export const itemKindLabels: Record<ItemKind, string> = { flight: "Flight", hotel: "Hotel", transfer: "Transfer", activity: "Activity", meal: "Meal", note: "Note" };
export const preferenceTopicLabels: Record<PreferenceTopic, string> = { dietary: "Dietary", mobility: "Mobility", rooming: "Rooming", medical: "Medical", other: "Other" };
export const askTopicLabels: Record<AskTopic, string> = { dietary: "Dietary", mobility: "Mobility", rooming: "Rooming", medical: "Medical", itinerary: "Itinerary", documents: "Documents", other: "Other" };
export const outcomeLabels: Record<Outcome, string> = { renewed: "Renewed", referral: "Referral", "no-interest": "No interest", "no-answer": "No answer" };
export const departmentLabels: Record<Department, string> = { sales: "Sales", fulfilment: "Fulfilment", service: "Service", founder: "Founder" };
export const paperLabels: Record<Paper, string> = { a4: "A4", letter: "US Letter" };
export const localeLabels: Record<Locale, string> = {
  "en-GB": "English (United Kingdom)", "en-US": "English (United States)", "en-IE": "English (Ireland)", "en-CA": "English (Canada)",
  "en-AU": "English (Australia)", "en-NZ": "English (New Zealand)", "de-DE": "German (Germany)", "fr-FR": "French (France)",
  "es-ES": "Spanish (Spain)", "it-IT": "Italian (Italy)", "nl-NL": "Dutch (Netherlands)", "sv-SE": "Swedish (Sweden)",
};

/** The keys of a label record, in its order. */
export function keysOf<K extends string>(labels: Record<K, string>): K[] {
  return Object.keys(labels) as K[];
}
