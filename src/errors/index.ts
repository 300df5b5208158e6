export { ApiKeyError } from './api-key-error.js';
export { ImportError, type ImportErrorCode } from './import-error.js';
export { InputFileError } from './input-file-error.js';
export { MappingError, MissingNameColumnError } from './mapping-error.js';
