// Size limits shared by more than one room, so the request's field check and the key store's derivation agree.

/** BitGo's derivationSeed values are short identifiers; the cap only keeps hostile requests from hashing megabytes. */
export const MAX_DERIVATION_SEED_LENGTH = 1024;
