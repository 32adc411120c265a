// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title TraceAnchor
/// @notice Anchors batches of ImagingRepo traces as Merkle roots. Only ids, action codes and dataset
///         keys (keccak256 of the dataset id) go on chain, never personal data. A trace id can be
///         anchored once: a batch holding an id that is already anchored reverts as a whole.
contract TraceAnchor {
    struct Batch {
        bytes32 root;
        uint32 count;
        uint64 blockNumber;
        address anchorer;
    }

    /// @notice The account that may authorise anchorers.
    address public immutable owner;

    /// @notice Accounts allowed to anchor.
    mapping(address => bool) public anchorers;

    /// @notice Anchored batches, numbered from 1.
    mapping(uint256 => Batch) public batches;

    /// @notice Batch id of each Merkle root (0 = not anchored).
    mapping(bytes32 => uint256) public batchOfRoot;

    /// @notice Batch id in which each trace id was anchored (0 = not anchored).
    mapping(bytes16 => uint256) public batchOfTrace;

    /// @notice Number of batches anchored so far.
    uint256 public batchCount;

    event BatchAnchored(uint256 indexed batchId, bytes32 indexed root, uint32 count);
    event TraceAnchored(bytes16 indexed traceId, bytes32 indexed datasetKey, uint8 indexed action, uint256 batchId);
    event AnchorerChanged(address indexed account, bool allowed);

    error NotOwner();
    error NotAnchorer(address account);
    error EmptyBatch();
    error LengthMismatch();
    error RootAlreadyAnchored(bytes32 root);
    error TraceAlreadyAnchored(bytes16 traceId, uint256 batchId);

    constructor() {
        owner = msg.sender;
        anchorers[msg.sender] = true;
        emit AnchorerChanged(msg.sender, true);
    }

    /// @notice Allows or forbids an account to anchor.
    function setAnchorer(address account, bool allowed) external {
        if (msg.sender != owner) revert NotOwner();
        anchorers[account] = allowed;
        emit AnchorerChanged(account, allowed);
    }

    /// @notice Anchors one batch.
    /// @param root Merkle root over the batch's trace leaves.
    /// @param traceIds The batch's trace ids (UUID bytes), in leaf order.
    /// @param actions The user action code of each trace (1 = CREATE_DATASET ... 5 = USE_MODELS).
    /// @param datasetCounts How many entries of datasetKeys belong to each trace (in order).
    /// @param datasetKeys keccak256 of the UTF-8 dataset ids of all traces, concatenated.
    /// @return batchId The new batch's number.
    function anchor(
        bytes32 root,
        bytes16[] calldata traceIds,
        uint8[] calldata actions,
        uint16[] calldata datasetCounts,
        bytes32[] calldata datasetKeys
    ) external returns (uint256 batchId) {
        if (!anchorers[msg.sender]) revert NotAnchorer(msg.sender);
        uint256 n = traceIds.length;
        if (n == 0) revert EmptyBatch();
        if (actions.length != n || datasetCounts.length != n) revert LengthMismatch();
        if (batchOfRoot[root] != 0) revert RootAlreadyAnchored(root);

        batchId = ++batchCount;
        batches[batchId] = Batch(root, uint32(n), uint64(block.number), msg.sender);
        batchOfRoot[root] = batchId;
        emit BatchAnchored(batchId, root, uint32(n));

        uint256 k = 0;
        for (uint256 i = 0; i < n; ++i) {
            bytes16 id = traceIds[i];
            uint256 previous = batchOfTrace[id];
            if (previous != 0) revert TraceAlreadyAnchored(id, previous);
            batchOfTrace[id] = batchId;
            uint256 m = datasetCounts[i];
            if (m == 0) {
                emit TraceAnchored(id, bytes32(0), actions[i], batchId);
            } else {
                for (uint256 j = 0; j < m; ++j) {
                    emit TraceAnchored(id, datasetKeys[k + j], actions[i], batchId);
                }
                k += m;
            }
        }
        if (k != datasetKeys.length) revert LengthMismatch();
    }

    /// @notice The batch ids of several traces (0 where not anchored), for reconciliation in one call.
    function batchesOfTraces(bytes16[] calldata traceIds) external view returns (uint256[] memory result) {
        result = new uint256[](traceIds.length);
        for (uint256 i = 0; i < traceIds.length; ++i) {
            result[i] = batchOfTrace[traceIds[i]];
        }
    }
}
