export { ApiKeyError } from './api-key-error.js';
export { ImportError, type ImportErrorCode } from './import-error.js';
export { InputFileError, NoDataRowsError } from './input-file-error.js';
export { MappingError, MissingMappedHeaderError, MissingNameColumnError } from './mapping-error.js';
