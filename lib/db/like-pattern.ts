// Text a person typed, as a LIKE/ILIKE pattern that matches it literally: PostgreSQL's default
// escape character, the backslash, before each of \ % and _.
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (character) => `\\${character}`);

/** A pattern matching any text that contains `text`. */
export const containsPattern = (text: string) => `%${escapeLike(text)}%`;
