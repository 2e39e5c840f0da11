/** An English file must give every key of its Chinese file, and nothing else. */
export type Translation<T> = { readonly [K in keyof T]: string };
