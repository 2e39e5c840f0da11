import { Interface } from 'ethers';

/**
 * Human-readable ABI of contracts/ProvenanceAnchor.sol, kept here so the client needs no compiler at runtime.
 * anchor-client.spec.ts fails if it drifts from the solc output.
 */
export const PROVENANCE_ANCHOR_ABI = [
  'constructor(address initialOwner, address initialAnchorer)',
  'error NotAnchorer(address caller)',
  'error NotOwner(address caller)',
  'error NotPendingAnchorer(address caller)',
  'error TreeSizeNotIncreasing(uint64 treeSize, uint64 latestTreeSize)',
  'error ZeroAddress()',
  'error ZeroRoot()',
  'event Anchored(uint64 indexed treeSize, bytes32 rootHash, uint64 timestamp)',
  'event AnchorerChanged(address indexed previous, address indexed current)',
  'event AnchorerProposed(address indexed proposed)',
  'function acceptAnchorer()',
  'function anchor(uint64 treeSize, bytes32 rootHash)',
  'function anchorer() view returns (address)',
  'function checkpointAt(uint64 treeSize) view returns ((uint64 treeSize, bytes32 rootHash, uint64 timestamp) checkpoint)',
  'function count() view returns (uint256)',
  'function latest() view returns ((uint64 treeSize, bytes32 rootHash, uint64 timestamp))',
  'function latestTreeSize() view returns (uint64)',
  'function owner() view returns (address)',
  'function pendingAnchorer() view returns (address)',
  'function proposeAnchorer(address proposed)',
] as const;

export const provenanceAnchorInterface = new Interface(PROVENANCE_ANCHOR_ABI);
