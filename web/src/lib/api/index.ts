export { ApiError, NetworkError, type FieldError, type Problem } from './api-error';
export { ApiProvider, useApi } from './api-provider';
export { unwrap, type ApiClient } from './client';
export type { components, paths } from './schema';
