/** SECRET side of @app/he: key generation, the passphrase keystore, encryption and decryption. */
export { AggregateDecryptor, decryptAggregates } from './aggregate-decryptor.js';
export { ColumnEncryptor } from './column-encryptor.js';
export { readCsvRecords } from './csv-reader.js';
export { encryptColumns, encryptCsv, type EncodeOptions } from './dataset-encoder.js';
export { generateKeys, publicPart, type SecretKeyMaterial } from './key-generation.js';
export { openSecretKey, sealSecretKey } from './keystore.js';
export { MIN_PASSPHRASE_LENGTH, openUnderPassphrase, sealUnderPassphrase } from './passphrase-box.js';
