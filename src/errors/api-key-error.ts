import { ImportError } from './import-error.js';

/** The API refused the key (401/403): nothing more can be sent. */
export class ApiKeyError extends ImportError {
  constructor(status: number, detail: string) {
    super('api_key', `the API refused the key (HTTP ${status}${detail ? `: ${detail}` : ''}); check QUENTLI_API_KEY`);
    this.name = 'ApiKeyError';
  }
}
