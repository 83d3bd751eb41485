export { DatasetStore, type DatasetStoreOptions, type NewDataset } from './dataset-store';
export type { CodeRecord, DatasetRecord, DatasetStatus, EmbeddingChunkRecord, ResultRecord, SourceFile, StoredPatent } from './records';
export { DatasetNotFoundError, StorageQuotaError, type DatasetSpaceUse } from '../core/errors';
export { isQuotaExceededError } from './quota';
export type { StorageEstimateInfo } from './storage-estimate';
export { EMBEDDING_ROWS_PER_CHUNK, type AlignedEmbeddings } from './embedding-chunks';
export { DB_VERSION, DEFAULT_DB_NAME, migrateToV1, migrateToV2, type PatentSpaceDB, type PatentSpaceDBV1 } from './schema';
