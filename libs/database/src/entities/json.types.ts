/**
 * JSON column shapes. Kept as `object` because TypeORM's deep-partial insert types cannot handle a recursive JSON type;
 * readers narrow what they read.
 */
export type JsonObject = object;
export type JsonValue = object;
