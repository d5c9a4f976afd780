export { schemaMessages } from './schema-errors';
export { useSchemaForm, type SchemaForm, type SchemaFormOptions } from './use-schema-form';
