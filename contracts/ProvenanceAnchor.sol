// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ProvenanceAnchor
/// @notice Public checkpoints of the exchange's provenance ledger (an append-only Merkle log): each checkpoint binds
///         a tree size to its root hash and the block time it was anchored. Only the anchorer key writes; tree sizes
///         strictly increase, so a checkpoint, once written, never changes.
/// @dev Storage per checkpoint: two fresh slots (root, timestamp). `anchorer`, `latestTreeSize` and the count share
///      slot 0, so `anchor` reads and rewrites one warm slot besides the two new ones.
contract ProvenanceAnchor {
    struct Checkpoint {
        uint64 treeSize;
        bytes32 rootHash;
        uint64 timestamp;
    }

    struct Stored {
        bytes32 rootHash;
        uint64 timestamp;
    }

    /// @notice May propose a new anchorer; fixed at deployment.
    address public immutable owner;
    /// @notice The only key that may write checkpoints.
    address public anchorer;
    /// @notice Tree size of the newest checkpoint; 0 before the first one.
    uint64 public latestTreeSize;
    uint32 private _count;
    /// @notice Anchorer proposed by the owner, waiting to accept; zero when none.
    address public pendingAnchorer;

    mapping(uint64 treeSize => Stored) private _checkpoints;

    event Anchored(uint64 indexed treeSize, bytes32 rootHash, uint64 timestamp);
    event AnchorerProposed(address indexed proposed);
    event AnchorerChanged(address indexed previous, address indexed current);

    error NotOwner(address caller);
    error NotAnchorer(address caller);
    error NotPendingAnchorer(address caller);
    error ZeroAddress();
    error ZeroRoot();
    error TreeSizeNotIncreasing(uint64 treeSize, uint64 latestTreeSize);

    constructor(address initialOwner, address initialAnchorer) {
        if (initialOwner == address(0) || initialAnchorer == address(0)) revert ZeroAddress();
        owner = initialOwner;
        anchorer = initialAnchorer;
        emit AnchorerChanged(address(0), initialAnchorer);
    }

    /// @notice Records the checkpoint (treeSize, rootHash, block.timestamp).
    /// @dev Reverts NotAnchorer, ZeroRoot, or TreeSizeNotIncreasing when treeSize <= latestTreeSize (so also for 0).
    function anchor(uint64 treeSize, bytes32 rootHash) external {
        if (msg.sender != anchorer) revert NotAnchorer(msg.sender);
        if (rootHash == bytes32(0)) revert ZeroRoot();
        uint64 previous = latestTreeSize;
        if (treeSize <= previous) revert TreeSizeNotIncreasing(treeSize, previous);
        uint64 timestamp = uint64(block.timestamp);
        _checkpoints[treeSize] = Stored(rootHash, timestamp);
        latestTreeSize = treeSize;
        unchecked {
            _count += 1; // 2^32 checkpoints will not happen
        }
        emit Anchored(treeSize, rootHash, timestamp);
    }

    /// @notice First step of rotating the anchor key; proposing address(0) cancels a pending proposal.
    function proposeAnchorer(address proposed) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        pendingAnchorer = proposed;
        emit AnchorerProposed(proposed);
    }

    /// @notice Second step: the proposed key proves control by accepting.
    function acceptAnchorer() external {
        if (msg.sender != pendingAnchorer) revert NotPendingAnchorer(msg.sender);
        emit AnchorerChanged(anchorer, msg.sender);
        anchorer = msg.sender;
        pendingAnchorer = address(0);
    }

    /// @notice The newest checkpoint; all fields zero before the first one.
    function latest() external view returns (Checkpoint memory) {
        return checkpointAt(latestTreeSize);
    }

    /// @notice The checkpoint at exactly `treeSize`; all fields zero when there is none (rootHash is never zero).
    function checkpointAt(uint64 treeSize) public view returns (Checkpoint memory checkpoint) {
        Stored storage stored = _checkpoints[treeSize];
        if (stored.rootHash != bytes32(0)) {
            checkpoint = Checkpoint(treeSize, stored.rootHash, stored.timestamp);
        }
    }

    /// @notice Number of checkpoints written.
    function count() external view returns (uint256) {
        return _count;
    }
}
