import { InitialSchema1763700000000 } from './1763700000000-initial-schema';

/** Ordered list of migrations; add new ones at the end. */
export const MIGRATIONS = [InitialSchema1763700000000];
