import { Asset } from './asset.entity.js';
import { AssetCertificateRecord } from './asset-certificate.entity.js';
import { AssetRequest } from './asset-request.entity.js';
import { AssetReview } from './asset-review.entity.js';
import { AssetValuation } from './asset-valuation.entity.js';

export const ASSET_ENTITIES = [Asset, AssetCertificateRecord, AssetRequest, AssetReview, AssetValuation];
export { Asset, AssetCertificateRecord, AssetRequest, AssetReview, AssetValuation };
export * from './asset.entity.js';
export * from './asset-request.entity.js';
export * from './asset-review.entity.js';
export * from './asset-valuation.entity.js';
