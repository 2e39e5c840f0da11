// `@app/datasets`: an asset's encrypted dataset versions (issue 11 item 2): the manifest, resumable chunked upload
// into `@app/blobs`, completion, and who may read them.
export * from './dataset-manifest.js';
export * from './dataset.service.js';
export * from './datasets.module.js';
export * from './entities/dataset.entity.js';
