import type { CheckStatus } from '../statements/verify.js';

/** Reports one check of an evidence part: its id, outcome and a sentence a person reads. */
export type AddCheck = (id: string, status: CheckStatus, message: string) => void;
