export { ImportError, type ImportErrorCode } from './import-error.js';
export { InputFileError } from './input-file-error.js';
