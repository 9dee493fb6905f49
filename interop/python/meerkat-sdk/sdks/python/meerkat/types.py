"""Public domain types for the Meerkat Python SDK.

These are the types returned by :class:`~meerkat.Session` and
:class:`~meerkat.MeerkatClient` methods.  They replace the ``Wire*``
prefixed generated types which are now an internal implementation detail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NewType, NotRequired, TypedDict, Union

from .generated.types import CONTRACT_VERSION as CONTRACT_VERSION  # re-export
from .generated.types import (
    AttentionBindingRequest as AttentionBindingRequest,
    AttentionBindingResult as AttentionBindingResult,
    AttentionDelegatedAuthority as AttentionDelegatedAuthority,
    AttentionListRequest as AttentionListRequest,
    AttentionListResult as AttentionListResult,
    AttentionProjectionPolicy as AttentionProjectionPolicy,
    BridgeBootstrapToken as BridgeBootstrapToken,
    BridgeCommandCancelTrackedMemberInput as BridgeCommandCancelTrackedMemberInput,
    BridgeCommandObserveSupervisorRotation as BridgeCommandObserveSupervisorRotation,
    BridgeHostCapabilityRequirements as BridgeHostCapabilityRequirements,
    BridgeLiveControlOutcome as BridgeLiveControlOutcome,
    BridgeLiveControlOutcomeCommitInput as BridgeLiveControlOutcomeCommitInput,
    BridgeLiveControlOutcomeInterrupt as BridgeLiveControlOutcomeInterrupt,
    BridgeLiveControlOutcomeRefresh as BridgeLiveControlOutcomeRefresh,
    BridgeLiveControlOutcomeTruncate as BridgeLiveControlOutcomeTruncate,
    BridgeLiveControlVerb as BridgeLiveControlVerb,
    BridgeLiveControlVerbCommitInput as BridgeLiveControlVerbCommitInput,
    BridgeLiveControlVerbInterrupt as BridgeLiveControlVerbInterrupt,
    BridgeLiveControlVerbRefresh as BridgeLiveControlVerbRefresh,
    BridgeLiveControlVerbTruncate as BridgeLiveControlVerbTruncate,
    BridgeTrackedInputCancelOutcome as BridgeTrackedInputCancelOutcome,
    BridgeTurnOutcomeRecord as BridgeTurnOutcomeRecord,
    CommsSendResult as CommsSendResult,
    GoalAttentionTarget as GoalAttentionTarget,
    GoalStatusRequest as GoalStatusRequest,
    GoalStatusResult as GoalStatusResult,
    McpAddParams as McpAddParams,
    McpHttpConfig as McpHttpConfig,
    McpHttpServerConfig as McpHttpServerConfig,
    McpHttpTransport as McpHttpTransport,
    McpLiveOpResponse as McpLiveOpResponse,
    McpReloadParams as McpReloadParams,
    McpRemoveParams as McpRemoveParams,
    McpServerConfig as McpServerConfig,
    McpStdioConfig as McpStdioConfig,
    McpStdioServerConfig as McpStdioServerConfig,
    MobBackendConfigInput as MobBackendConfigInput,
    MobBindHostParams as MobBindHostParams,
    MobBindHostResult as MobBindHostResult,
    MobCreateParams as MobCreateParams,
    MobCreateResult as MobCreateResult,
    MobDefinitionInput as MobDefinitionInput,
    MobEnsureMemberParams as MobEnsureMemberParams,
    MobEnsureMemberResult as MobEnsureMemberResult,
    MobEventRouterConfigInput as MobEventRouterConfigInput,
    MobExternalBackendConfigInput as MobExternalBackendConfigInput,
    MobFlowNodeInput as MobFlowNodeInput,
    MobFlowSpecInput as MobFlowSpecInput,
    MobFlowStepInput as MobFlowStepInput,
    MobFrameSpecInput as MobFrameSpecInput,
    MobHostStatus as MobHostStatus,
    MobHostsResult as MobHostsResult,
    MobGrantScopesParams as MobGrantScopesParams,
    MobGrantScopesResult as MobGrantScopesResult,
    MobGrantsResult as MobGrantsResult,
    MobHardCancelParams as MobHardCancelParams,
    MobHardCancelResult as MobHardCancelResult,
    MobLimitsSpecInput as MobLimitsSpecInput,
    MobMemberListEntryWire as MobMemberListEntryWire,
    MobMemberHistoryParams as MobMemberHistoryParams,
    MobMemberHistoryResult as MobMemberHistoryResult,
    MobMemberLiveChannelParams as MobMemberLiveChannelParams,
    MobMemberLiveControlParams as MobMemberLiveControlParams,
    MobMemberLiveOpenParams as MobMemberLiveOpenParams,
    MobMemberLiveStatusParams as MobMemberLiveStatusParams,
    MobMemberSpecWire as MobMemberSpecWire,
    MobOrchestratorInput as MobOrchestratorInput,
    MobProfileBindingInput as MobProfileBindingInput,
    MobProfileInput as MobProfileInput,
    MobReconcileParams as MobReconcileParams,
    MobReconcileReportWire as MobReconcileReportWire,
    MobReconcileResult as MobReconcileResult,
    MobRevokeHostParams as MobRevokeHostParams,
    MobRevokeHostResult as MobRevokeHostResult,
    MobRevokeScopesParams as MobRevokeScopesParams,
    MobRevokeScopesResult as MobRevokeScopesResult,
    MobRouteInstallsResult as MobRouteInstallsResult,
    MobSpawnManyFailedResult as MobSpawnManyFailedResult,
    MobSpawnManyFailureCause as MobSpawnManyFailureCause,
    MobSpawnManyParams as MobSpawnManyParams,
    MobSpawnManyResult as MobSpawnManyResult,
    MobSpawnManyResultEntry as MobSpawnManyResultEntry,
    MobSpawnManyResultPayload as MobSpawnManyResultPayload,
    MobSpawnManyResultStatus as MobSpawnManyResultStatus,
    MobSpawnManySpawnedResult as MobSpawnManySpawnedResult,
    MobSpawnParams as MobSpawnParams,
    MobSpawnPolicyInput as MobSpawnPolicyInput,
    MobSpawnReceiptWire as MobSpawnReceiptWire,
    MobSpawnSpecParams as MobSpawnSpecParams,
    MobSupervisorSpecInput as MobSupervisorSpecInput,
    MobToolConfigInput as MobToolConfigInput,
    MobTopologySpecInput as MobTopologySpecInput,
    MobTurnStartParams as MobTurnStartParams,
    MobWireMembersBatchEdge as MobWireMembersBatchEdge,
    MobWireMembersBatchParams as MobWireMembersBatchParams,
    MobWireMembersBatchResult as MobWireMembersBatchResult,
    MobWiringRulesInput as MobWiringRulesInput,
    PublicTurnToolOverlay as PublicTurnToolOverlay,
    LiveChannelParams as LiveChannelParams,
    LiveCloseResult as LiveCloseResult,
    LiveCommitInputParams as LiveCommitInputParams,
    LiveInputChunkWire as LiveInputChunkWire,
    # R5-10: re-export typed `LiveInputChunkWire` variants so SDK consumers
    # can construct typed chunks at the `LiveSendInputParams.chunk` slot
    # without dipping into `meerkat.generated.types`.
    LiveInputChunkWireAudio as LiveInputChunkWireAudio,
    LiveInputChunkWireText as LiveInputChunkWireText,
    LiveInputChunkWireImage as LiveInputChunkWireImage,
    LiveInputChunkWireVideoFrame as LiveInputChunkWireVideoFrame,
    LiveOpenParams as LiveOpenParams,
    LiveOpenResult as LiveOpenResult,
    LiveRefreshResult as LiveRefreshResult,
    LiveRefreshStatus as LiveRefreshStatus,
    LiveWebrtcAnswerParams as LiveWebrtcAnswerParams,
    LiveWebrtcAnswerResult as LiveWebrtcAnswerResult,
    LiveSendInputErrorData as LiveSendInputErrorData,
    LiveSendInputParams as LiveSendInputParams,
    LiveStatusResult as LiveStatusResult,
    LiveTruncateParams as LiveTruncateParams,
    # Public-safe realtime transcript union. The internal byte-bearing
    # `user_content_final` command is deliberately absent from this schema.
    RealtimeTranscriptEvent as RealtimeTranscriptEvent,
    RealtimeTranscriptEventItemObserved as RealtimeTranscriptEventItemObserved,
    RealtimeTranscriptEventItemSkipped as RealtimeTranscriptEventItemSkipped,
    RealtimeTranscriptEventUserTranscriptFinal as RealtimeTranscriptEventUserTranscriptFinal,
    RealtimeTranscriptEventAssistantTextDelta as RealtimeTranscriptEventAssistantTextDelta,
    RealtimeTranscriptEventAssistantTranscriptDelta as RealtimeTranscriptEventAssistantTranscriptDelta,
    RealtimeTranscriptEventAssistantTranscriptTruncated as RealtimeTranscriptEventAssistantTranscriptTruncated,
    RealtimeTranscriptEventAssistantTranscriptFinalText as RealtimeTranscriptEventAssistantTranscriptFinalText,
    RealtimeTranscriptEventAssistantTurnCompleted as RealtimeTranscriptEventAssistantTurnCompleted,
    RealtimeTranscriptEventAssistantTurnInterrupted as RealtimeTranscriptEventAssistantTurnInterrupted,
    RealtimeTranscriptRole as RealtimeTranscriptRole,
    # CC5/CC6: typed wire mirrors for the live `capabilities` + `continuity`
    # shapes. Re-exported alongside `LiveOpenResult` so SDK consumers can
    # reach the typed booleans (`image_in`, `video_in`, etc.) and the
    # discriminated continuity-mode union without dipping into the
    # `meerkat.generated.types` module.
    WireLiveChannelCapabilities as WireLiveChannelCapabilities,
    WireLiveContinuityMode as WireLiveContinuityMode,
    WireLiveContinuityModeFresh as WireLiveContinuityModeFresh,
    WireLiveContinuityModeTranscriptOnly as WireLiveContinuityModeTranscriptOnly,
    WireLiveContinuityModeDegraded as WireLiveContinuityModeDegraded,
    WireLiveContinuityModeProviderNativeResume as WireLiveContinuityModeProviderNativeResume,
    WireControlScope as WireControlScope,
    WireFlowFailureDetail as WireFlowFailureDetail,
    WireFlowTurnOutcome as WireFlowTurnOutcome,
    WireGrantRecord as WireGrantRecord,
    # FIX-SDK-OBS: typed live-adapter observation discriminated union and
    # its supporting wire mirrors. Browser/Python clients can type-narrow
    # on the `observation` discriminator and read R5-4 identity fields
    # (`item_id`, `response_id`, `content_index`) on
    # `assistant_audio_chunk` plus the R5-9 `command_rejected` typed
    # channel-survives error variant.
    WireLiveAdapterObservation as WireLiveAdapterObservation,
    WireLiveAdapterObservationReady as WireLiveAdapterObservationReady,
    WireLiveAdapterObservationUserTranscriptFinal as WireLiveAdapterObservationUserTranscriptFinal,
    WireLiveAdapterObservationAssistantTextDelta as WireLiveAdapterObservationAssistantTextDelta,
    WireLiveAdapterObservationAssistantTranscriptDelta as WireLiveAdapterObservationAssistantTranscriptDelta,
    WireLiveAdapterObservationAssistantAudioChunk as WireLiveAdapterObservationAssistantAudioChunk,
    WireLiveAdapterObservationAssistantTranscriptFinal as WireLiveAdapterObservationAssistantTranscriptFinal,
    WireLiveAdapterObservationAssistantTranscriptTruncated as WireLiveAdapterObservationAssistantTranscriptTruncated,
    WireLiveAdapterObservationRealtimeTranscript as WireLiveAdapterObservationRealtimeTranscript,
    WireLiveAdapterObservationUserContentCommitted as WireLiveAdapterObservationUserContentCommitted,
    WireLiveAdapterObservationToolCallRequested as WireLiveAdapterObservationToolCallRequested,
    WireLiveAdapterObservationTurnInterrupted as WireLiveAdapterObservationTurnInterrupted,
    WireLiveAdapterObservationTurnCompleted as WireLiveAdapterObservationTurnCompleted,
    WireLiveAdapterObservationStatusChanged as WireLiveAdapterObservationStatusChanged,
    WireLiveAdapterObservationError as WireLiveAdapterObservationError,
    WireLiveAdapterObservationCommandRejected as WireLiveAdapterObservationCommandRejected,
    WireLiveAdapterStatus as WireLiveAdapterStatus,
    WireLiveAdapterErrorCode as WireLiveAdapterErrorCode,
    WireLiveConfigRejectionReason as WireLiveConfigRejectionReason,
    WireLiveConfigRejectionReasonChannelIdentitySwap as WireLiveConfigRejectionReasonChannelIdentitySwap,
    WireLiveConfigRejectionReasonNonRealtimeResolution as WireLiveConfigRejectionReasonNonRealtimeResolution,
    WireLiveConfigRejectionReasonImageInputNotImplemented as WireLiveConfigRejectionReasonImageInputNotImplemented,
    WireLiveConfigRejectionReasonImageInputUnsupportedMime as WireLiveConfigRejectionReasonImageInputUnsupportedMime,
    WireLiveConfigRejectionReasonImageInputContentMismatch as WireLiveConfigRejectionReasonImageInputContentMismatch,
    WireLiveConfigRejectionReasonImageInputInvalidBase64 as WireLiveConfigRejectionReasonImageInputInvalidBase64,
    WireLiveConfigRejectionReasonImageInputTooLarge as WireLiveConfigRejectionReasonImageInputTooLarge,
    WireLiveConfigRejectionReasonImageInputIdempotencyKeyInvalid as WireLiveConfigRejectionReasonImageInputIdempotencyKeyInvalid,
    WireLiveConfigRejectionReasonImageInputIdempotencyConflict as WireLiveConfigRejectionReasonImageInputIdempotencyConflict,
    WireLiveConfigRejectionReasonImageInputRequiresCommit as WireLiveConfigRejectionReasonImageInputRequiresCommit,
    WireLiveConfigRejectionReasonInputTooLarge as WireLiveConfigRejectionReasonInputTooLarge,
    WireLiveConfigRejectionReasonInputBackpressured as WireLiveConfigRejectionReasonInputBackpressured,
    WireLiveConfigRejectionReasonImageInputBackpressured as WireLiveConfigRejectionReasonImageInputBackpressured,
    WireLiveConfigRejectionReasonImageInputTransportUnsupported as WireLiveConfigRejectionReasonImageInputTransportUnsupported,
    WireLiveConfigRejectionReasonVideoFrameInputNotImplemented as WireLiveConfigRejectionReasonVideoFrameInputNotImplemented,
    WireLiveConfigRejectionReasonUnsupportedInputChunkVariant as WireLiveConfigRejectionReasonUnsupportedInputChunkVariant,
    WireLiveConfigRejectionReasonRefreshModelSwap as WireLiveConfigRejectionReasonRefreshModelSwap,
    WireLiveConfigRejectionReasonRefreshProviderSwap as WireLiveConfigRejectionReasonRefreshProviderSwap,
    WireLiveConfigRejectionReasonRefreshAudioConfigMismatch as WireLiveConfigRejectionReasonRefreshAudioConfigMismatch,
    WireLiveConfigRejectionReasonRefreshTranscriptRewriteRequiresReopen as WireLiveConfigRejectionReasonRefreshTranscriptRewriteRequiresReopen,
    WireLiveConfigRejectionReasonAudioInputFormatMismatch as WireLiveConfigRejectionReasonAudioInputFormatMismatch,
    WireLiveConfigRejectionReasonOther as WireLiveConfigRejectionReasonOther,
    WireLiveConfigRejectionReasonUnknown as WireLiveConfigRejectionReasonUnknown,
    WireLiveTransportBootstrap as WireLiveTransportBootstrap,
    WireLiveTransportBootstrapWebsocket as WireLiveTransportBootstrapWebsocket,
    WireLiveTransportBootstrapWebrtc as WireLiveTransportBootstrapWebrtc,
    WireLiveTransportBootstrapUnknown as WireLiveTransportBootstrapUnknown,
    WireAssistantBlock as WireAssistantBlock,
    WireAssistantBlockText as WireAssistantBlockText,
    WireAssistantBlockTranscript as WireAssistantBlockTranscript,
    WireAssistantBlockReasoning as WireAssistantBlockReasoning,
    WireAssistantBlockToolUse as WireAssistantBlockToolUse,
    WireAssistantBlockServerToolContent as WireAssistantBlockServerToolContent,
    WireAssistantBlockImage as WireAssistantBlockImage,
    WireAssistantBlockUnknown as WireAssistantBlockUnknown,
    WireTranscriptSource as WireTranscriptSource,
    WireTranscriptSourceSpoken as WireTranscriptSourceSpoken,
    WireTranscriptSourceUnknown as WireTranscriptSourceUnknown,
    WireLiveDegradationReason as WireLiveDegradationReason,
    WireProvider as WireProvider,
    RealtimeAudioChunk as RealtimeAudioChunk,
    RealtimeCapabilities as RealtimeCapabilities,
    RealtimeImageChunk as RealtimeImageChunk,
    RealtimeInputChunk as RealtimeInputChunk,
    RealtimeInputKind as RealtimeInputKind,
    RealtimeOutputKind as RealtimeOutputKind,
    RealtimeTextChunk as RealtimeTextChunk,
    RealtimeTurningMode as RealtimeTurningMode,
    RealtimeVideoChunk as RealtimeVideoChunk,
    RuntimeAcceptResult as RuntimeAcceptResult,
    RuntimeStateResult as RuntimeStateResult,
    WorkAttentionBinding as WorkAttentionBinding,
    WorkAttentionMode as WorkAttentionMode,
    WorkAttentionStatus as WorkAttentionStatus,
    WorkAttentionTarget as WorkAttentionTarget,
    WorkCompletionPolicy as WorkCompletionPolicy,
    WorkGraphStatus as WorkGraphStatus,
    WorkGraphPriority as WorkGraphPriority,
    WorkItemRef as WorkItemRef,
    WorkOwnerKey as WorkOwnerKey,
    WorkOwnerKind as WorkOwnerKind,
    WireAssistantImageRef as WireAssistantImageRef,
    WireAuthBindingRef as WireAuthBindingRef,
    WireContentBlock as WireContentBlock,
    WireContentInput as WireContentInput,
    WireHistoryRow as WireHistoryRow,
    WireHostBindPhase as WireHostBindPhase,
    WireHostBindingDescriptor as WireHostBindingDescriptor,
    WireHostBindingDescriptorKind as WireHostBindingDescriptorKind,
    WireHostCapabilityFlags as WireHostCapabilityFlags,
    WireHostRef as WireHostRef,
    WireGenerateImageExecutionPlan as WireGenerateImageExecutionPlan,
    WireGenerateImageRequest as WireGenerateImageRequest,
    WireImageGenerationToolResult as WireImageGenerationToolResult,
    WireImageOperationPhase as WireImageOperationPhase,
    WireInputState as WireInputState,
    WireMemberHistoryPageBody as WireMemberHistoryPageBody,
    WireMemberLifecycleCapabilities as WireMemberLifecycleCapabilities,
    WireMemberLaunchMode as WireMemberLaunchMode,
    WireMemberProgressSnapshot as WireMemberProgressSnapshot,
    WireMemberRef as WireMemberRef,
    WireMobBackendKind as WireMobBackendKind,
    WireMobMemberStatus as WireMobMemberStatus,
    WireMobProfile as WireMobProfile,
    WireMobRuntimeMode as WireMobRuntimeMode,
    WireMobToolConfig as WireMobToolConfig,
    WireNonPortableResourceKind as WireNonPortableResourceKind,
    WireProjectionProvenance as WireProjectionProvenance,
    WireReachability as WireReachability,
    WireRouteInstallObligation as WireRouteInstallObligation,
    WireRuntimeBinding as WireRuntimeBinding,
    WireToolAccessPolicy as WireToolAccessPolicy,
    WireToolFilter as WireToolFilter,
    WireTrustedPeerIdentity as WireTrustedPeerIdentity,
    WireTrustedPeerIdentityEd25519PublicKey as WireTrustedPeerIdentityEd25519PublicKey,
)

# The request schema emits this literal inline on
# ``MobMemberLiveOpenParams.transport``. Keep one public spelling for the
# high-level client and mob wrappers; a conformance test pins it to the
# generated field so schema drift cannot silently widen this alias.
MobMemberLiveTransport = Literal["websocket", "webrtc"]

PeerId = NewType("PeerId", str)
"""Canonical comms routing identity for a peer."""

PeerCorrelationId = NewType("PeerCorrelationId", str)
"""Canonical request/response correlation identity for peer interactions."""

# Re-export Usage from events so there's a single canonical definition.
from .events import (  # noqa: F401
    Event,
    ProviderTokenAccounting as ProviderTokenAccounting,
    Usage as Usage,
)


# ---------------------------------------------------------------------------
# Skill references (v2.1)
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SkillKey:
    """Structured skill identifier (source UUID + skill name)."""

    source_uuid: str
    skill_name: str


SkillRef = SkillKey
"""A skill reference, expressed as a structured :class:`SkillKey`."""


class TextBlock(TypedDict):
    type: Literal["text"]
    text: str


class InlineImageBlock(TypedDict, total=False):
    type: Literal["image"]
    media_type: str
    source: Literal["inline"]
    data: str


class BlobImageBlock(TypedDict):
    type: Literal["image"]
    media_type: str
    source: Literal["blob"]
    blob_id: str


class InlineVideoBlock(TypedDict, total=False):
    type: Literal["video"]
    media_type: str
    duration_ms: int
    source: Literal["inline"]
    data: str


class UriVideoBlock(TypedDict):
    type: Literal["video"]
    media_type: str
    duration_ms: int
    source: Literal["uri"]
    uri: str


ContentBlock = Union[
    TextBlock, InlineImageBlock, BlobImageBlock, InlineVideoBlock, UriVideoBlock
]
"""A multimodal content block accepted by input-bearing APIs."""

ContentInput = str | list[ContentBlock]
"""Canonical content input accepted by input-bearing APIs."""


class SystemPromptDisable(TypedDict):
    """Wire form that explicitly suppresses inherited system-prompt sources."""

    action: Literal["disable"]


SystemPromptOverride = str | SystemPromptDisable
"""Per-session system-prompt policy.

Omit the create-session argument (or pass ``None``) to inherit configured prompt
sources, pass any string (including ``""``) to set an explicit prompt, or pass
``{"action": "disable"}`` to suppress inherited prompt sources.
"""

# Transcript history uses the generated wire projection rather than the
# input-bearing block union above. History may carry structured/unknown blocks
# and server-owned provenance that an input constructor does not expose.
SessionContentBlock = WireContentBlock
SessionContentInput = WireContentInput

TranscriptUserRole = Literal[
    "conversational",
    "compaction_summary",
    "injected_context",
]


@dataclass(frozen=True, slots=True)
class BlobPayload:
    """Raw blob bytes fetched by blob id."""

    blob_id: str = ""
    media_type: str = ""
    data_base64: str = ""


# ---------------------------------------------------------------------------
# Domain types
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SchemaWarning:
    """Warning emitted when structured output doesn't match a provider's schema rules."""

    provider: str = ""
    path: str = ""
    message: str = ""


@dataclass(frozen=True, slots=True)
class SourceHealthSnapshot:
    """Runtime health snapshot for skill source resolution."""

    state: str = ""
    invalid_ratio: float = 0.0
    invalid_count: int = 0
    total_count: int = 0
    failure_streak: int = 0
    handshake_failed: bool = False


@dataclass(frozen=True, slots=True)
class SkillQuarantineDiagnostic:
    """Diagnostic details for a single quarantined skill entry."""

    source_uuid: str = ""
    skill_id: str = ""
    location: str = ""
    error_code: str = ""
    error_class: str = ""
    message: str = ""
    first_seen_unix_secs: int = 0
    last_seen_unix_secs: int = 0


@dataclass(frozen=True, slots=True)
class SkillRuntimeDiagnostics:
    """Runtime diagnostics emitted by the Rust skill subsystem."""

    source_health: SourceHealthSnapshot = field(default_factory=SourceHealthSnapshot)
    quarantined: list[SkillQuarantineDiagnostic] = field(default_factory=list)
    collection_fault: Any | None = None


@dataclass(frozen=True, slots=True)
class RunResult:
    """Result of an agent session creation or turn.

    Replaces ``WireRunResult``.  All fields use native Python types.
    """

    session_id: str = ""
    text: str = ""
    turns: int = 0
    tool_calls: int = 0
    usage: Usage = field(default_factory=Usage)
    terminal_cause_kind: str | None = None
    session_ref: str | None = None
    structured_output: Any = None
    extraction_error: ExtractionError | None = None
    schema_warnings: list[SchemaWarning] | None = None
    skill_diagnostics: SkillRuntimeDiagnostics | None = None


HelpExecutionMode = Literal["explain_only", "plan_execution"]


class HelpRequest(TypedDict):
    question: str
    prompt: NotRequired[str]
    execution_mode: NotRequired[HelpExecutionMode]
    model: NotRequired[str]
    provider: NotRequired[str]
    max_tokens: NotRequired[int]


@dataclass(frozen=True, slots=True)
class ExtractionError:
    """Structured-output extraction failure after a completed main run."""

    last_output: str = ""
    attempts: int = 0
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """Session identity and shared metadata.

    Shared base for session summary/detail responses.
    """

    session_id: str = ""
    session_ref: str | None = None
    created_at: int = 0
    updated_at: int = 0
    message_count: int = 0
    labels: dict[str, str] = field(default_factory=dict)
    is_active: bool = False


@dataclass(frozen=True, slots=True)
class SessionSummary(SessionInfo):
    """Summary returned by :meth:`~meerkat.MeerkatClient.list_sessions`."""

    total_tokens: int = 0


@dataclass(frozen=True, slots=True)
class SessionDetails(SessionInfo):
    """Details returned by :meth:`~meerkat.MeerkatClient.read_session`."""

    model: str = ""
    provider: str = ""
    last_assistant_text: str | None = None
    resolved_capabilities: ResolvedModelCapabilities | None = None


class ExternalEventOutcome(TypedDict, total=False):
    """Outcome payload returned by `session/external_event`."""

    outcome_type: str
    input_id: str
    existing_id: str
    reason: str
    state: dict[str, Any] | None


class ScheduleRecord(TypedDict):
    """Canonical flattened schedule payload returned by ``schedule/*``."""

    schedule_id: str
    phase: Literal["active", "paused", "deleted"]
    revision: int
    trigger: dict[str, Any]
    target: dict[str, Any]
    misfire_policy: dict[str, Any]
    overlap_policy: Literal["allow_concurrent", "skip_if_running"]
    missing_target_policy: Literal["skip", "mark_misfired"]
    next_occurrence_ordinal: int
    planning_horizon_days: int
    planning_horizon_occurrences: int
    created_at_utc: str
    updated_at_utc: str
    labels: dict[str, str]
    superseded_ack_ids: list[str]
    name: NotRequired[str | None]
    description: NotRequired[str | None]
    planning_cursor_utc: NotRequired[str | None]
    deleted_at_utc: NotRequired[str | None]


class ScheduleOccurrenceRecord(TypedDict):
    """Canonical schedule occurrence payload."""

    occurrence_id: str
    schedule_id: str
    schedule_revision: int
    occurrence_ordinal: int
    phase: Literal[
        "pending",
        "claimed",
        "dispatching",
        "awaiting_completion",
        "completed",
        "skipped",
        "misfired",
        "superseded",
        "delivery_failed",
    ]
    due_at_utc: str
    trigger_snapshot: dict[str, Any]
    target_snapshot: dict[str, Any]
    misfire_policy: dict[str, Any]
    overlap_policy: Literal["allow_concurrent", "skip_if_running"]
    missing_target_policy: Literal["skip", "mark_misfired"]
    attempt_count: int
    created_at_utc: str
    claimed_by: NotRequired[str | None]
    lease_expires_at_utc: NotRequired[str | None]
    delivery_correlation_id: NotRequired[str | None]
    last_receipt: NotRequired[dict[str, Any] | None]
    failure_class: NotRequired[str | None]
    runtime_outcome: NotRequired[dict[str, Any] | None]
    failure_detail: NotRequired[str | None]
    claimed_at_utc: NotRequired[str | None]
    dispatched_at_utc: NotRequired[str | None]
    completed_at_utc: NotRequired[str | None]
    superseded_by_revision: NotRequired[int | None]


class ScheduleListResult(TypedDict):
    schedules: list[ScheduleRecord]


class ScheduleOccurrencesResult(TypedDict):
    occurrences: list[ScheduleOccurrenceRecord]


class ScheduleToolsResult(TypedDict):
    tools: list[dict[str, Any]]


class ScheduleToolCall(TypedDict, total=False):
    name: str
    arguments: Any


# `WorkGraphStatus` and `WorkGraphPriority` are generated from the WorkItem
# schema's closed enums and imported/re-exported from `.generated.types` above
# (dogma row #256). They are no longer hand-declared here.
# Generated closed unions for edge and event kinds (re-exported wire types).
from .generated.types import WorkEdgeKind as WorkEdgeKind  # noqa: E402
from .generated.types import WorkGraphEventKind as WorkGraphEventKind  # noqa: E402

# K21: the workgraph read shapes are fully generated (including the promoted
# inline-object types `WorkItemOwner` / `WorkItemClaim` /
# `WorkItemExternalRef`) and carry fail-closed `from_wire` parsers. The hand
# TypedDict twins (`WorkGraphOwner*`, `WorkGraphClaim`, `ExternalWorkRef`,
# hand `WorkEvidenceRef`/`WorkItem`) are deleted.
from .generated.types import WorkItem as WorkItem  # noqa: E402
from .generated.types import WorkItemOwner as WorkItemOwner  # noqa: E402
from .generated.types import WorkItemClaim as WorkItemClaim  # noqa: E402
from .generated.types import WorkItemExternalRef as WorkItemExternalRef  # noqa: E402
from .generated.types import WorkEvidenceRef as WorkEvidenceRef  # noqa: E402
from .generated.types import WorkEvidenceKind as WorkEvidenceKind  # noqa: E402

# Re-exports of the generated wire types — the signature-parity gate enforces
# that workgraph wrappers consume the generated shapes, not hand mirrors.
from .generated.types import WorkEdge as WorkEdge  # noqa: E402
from .generated.types import WorkGraphEvent as WorkGraphEvent  # noqa: E402
from .generated.types import ConfigEnvelope as ConfigEnvelope  # noqa: E402
from .generated.types import WorkGraphItemsResponse as WorkGraphItemsResponse  # noqa: E402
from .generated.types import WorkGraphEventsResponse as WorkGraphEventsResponse  # noqa: E402

# Re-export of the generated wire type — the contract inventory gate enforces
# that the snapshot wrapper consumes the generated shape, not a hand mirror.
from .generated.types import WorkGraphSnapshot as WorkGraphSnapshot  # noqa: E402

# Generated request/filter wire types for the workgraph read APIs
# (see WorkGraphSnapshot note above).
from .generated.types import WorkGraphIdParams as WorkGraphIdParams  # noqa: E402
from .generated.types import WorkItemFilter as WorkItemFilter  # noqa: E402
from .generated.types import ReadyWorkFilter as ReadyWorkFilter  # noqa: E402
from .generated.types import WorkGraphSnapshotFilter as WorkGraphSnapshotFilter  # noqa: E402
from .generated.types import WorkGraphEventFilter as WorkGraphEventFilter  # noqa: E402


class MobEventCursorEntry(TypedDict, total=False):
    cursor: int
    event: dict[str, Any]


class MobEventsResult(TypedDict):
    events: list[Any]


MobControlScope = Literal[
    "list",
    "read_history",
    "subscribe_events",
    "send_command",
    "cancel",
    "retire",
    "wire_topology",
    "live",
    "admin_host",
    "admin_grants",
]


MobGrantRecord = TypedDict(
    "MobGrantRecord",
    {
        "principal": str,
        "scopes": list[MobControlScope],
        "expires_at_ms": NotRequired[int],
    },
)


class MobProfileTools(TypedDict, total=False):
    builtins: bool
    shell: bool
    comms: bool
    memory: bool
    mob: bool
    schedule: bool
    mcp: list[str]


class MobProfile(TypedDict, total=False):
    model: str
    provider: str | None
    self_hosted_server_id: str | None
    image_generation_provider: str | None
    auto_compact_threshold: int | None
    resume_overrides: list[str]
    skills: list[str]
    tools: MobProfileTools
    peer_description: str
    external_addressable: bool
    backend: str | None
    runtime_mode: str
    max_inline_peer_notifications: int | None
    output_schema: dict[str, Any] | None
    provider_params: dict[str, Any] | None


class StoredMobProfile(TypedDict):
    name: str
    profile: MobProfile
    revision: int
    created_at: str
    updated_at: str


class DeletedMobProfile(TypedDict):
    name: str
    deleted_revision: int


class ResolvedModelCapabilities(TypedDict):
    vision: bool
    image_input: bool
    image_tool_results: bool
    inline_video: bool
    realtime: bool
    web_search: bool
    image_generation: bool


class ModelProfile(TypedDict):
    model_family: str
    vision: bool
    image_input: bool
    image_tool_results: bool
    supports_temperature: bool
    supports_thinking: bool
    supports_reasoning: bool
    inline_video: bool
    realtime: bool
    supports_web_search: bool
    image_generation: bool
    params_schema: dict[str, Any]


class CatalogModelEntry(TypedDict, total=False):
    id: str
    display_name: str
    tier: str
    context_window: int | None
    max_output_tokens: int | None
    server_id: str | None
    profile: ModelProfile | None


class ProviderCatalog(TypedDict):
    provider: str
    default_model_id: str
    models: list[CatalogModelEntry]


class ContractVersion(TypedDict):
    major: int
    minor: int
    patch: int


class ModelsCatalogResponse(TypedDict):
    contract_version: ContractVersion
    providers: list[ProviderCatalog]


@dataclass(frozen=True, slots=True)
class SessionToolResult:
    """Tool result captured in transcript history."""

    tool_use_id: str = ""
    content: SessionContentInput = ""
    is_error: bool = False


@dataclass(frozen=True, slots=True)
class SessionAssistantBlock:
    """Ordered block inside a block-assistant transcript message.

    `block_type` carries the lane discriminator (``text``, ``transcript``,
    ``reasoning``, ``tool_use``, ``server_tool_content``, ``image``, ...).
    For ``transcript`` blocks ``source`` records the originating lane
    (today: ``spoken``); both ``text`` and ``transcript`` blocks expose
    their rendered string in ``text``.
    """

    block_type: str = ""
    text: str | None = None
    id: str | None = None
    name: str | None = None
    args: Any = None
    image_id: str | None = None
    blob_id: str | None = None
    media_type: str | None = None
    width: int | None = None
    height: int | None = None
    revised_prompt: dict[str, Any] | None = None
    meta: dict[str, Any] | None = None
    # Lane provenance for ``transcript`` blocks. Unknown future provenance
    # keeps its generated debug payload instead of being coerced to spoken.
    source: WireTranscriptSource | None = None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SystemPromptVersionIdentity:
    """Durable key and version carried by one system-prompt history row."""

    key: str = ""
    version: int = 0


@dataclass(frozen=True, slots=True)
class SessionMessage:
    """Canonical transcript message returned by session history APIs."""

    role: str = ""
    created_at: str = ""
    kind: str | None = None
    body: str | None = None
    content: SessionContentInput | None = None
    transcript_role: TranscriptUserRole | None = None
    stop_reason: str | None = None
    interaction_id: str | None = None
    run_id: str | None = None
    prompt_version: SystemPromptVersionIdentity | None = None
    blocks: list[SessionAssistantBlock] = field(default_factory=list)
    results: list[SessionToolResult] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SessionHistory:
    """Paginated transcript page for a session."""

    session_id: str = ""
    session_ref: str | None = None
    message_count: int = 0
    offset: int = 0
    limit: int | None = None
    has_more: bool = False
    messages: list[SessionMessage] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SessionTranscriptRevision:
    """Paginated transcript page for a retained immutable revision."""

    session_id: str = ""
    session_ref: str | None = None
    revision: str = ""
    head_revision: str = ""
    message_count: int = 0
    offset: int = 0
    limit: int | None = None
    has_more: bool = False
    messages: list[SessionMessage] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SessionTranscriptRevisionEntry:
    """One transcript rewrite commit in a session's revision graph."""

    revision: str = ""
    parent_revision: str = ""
    actor: str | None = None
    reason: str = ""
    committed_at: int = 0


@dataclass(frozen=True, slots=True)
class SessionTranscriptRevisionList:
    """Ordered (oldest-first) transcript revision commit list for a session."""

    head_revision: str = ""
    entries: list[SessionTranscriptRevisionEntry] = field(default_factory=list)


TranscriptEditRunningBehavior = Literal["reject"]
"""Behavior for transcript edit requests when the source session has active work."""


class TranscriptMessageReplacement(TypedDict):
    type: Literal["message"]
    message: dict[str, Any]


class TranscriptUserContentBlockReplacement(TypedDict):
    type: Literal["user_content_block"]
    block_index: int
    block: SessionContentBlock


class TranscriptAssistantBlockReplacement(TypedDict):
    type: Literal["assistant_block"]
    block_index: int
    block: dict[str, Any]


class TranscriptToolResultContentBlockReplacement(TypedDict):
    type: Literal["tool_result_content_block"]
    result_index: int
    block_index: int
    block: SessionContentBlock


TranscriptReplacement = (
    TranscriptMessageReplacement
    | TranscriptUserContentBlockReplacement
    | TranscriptAssistantBlockReplacement
    | TranscriptToolResultContentBlockReplacement
)
"""Typed transcript replacement used to create an edited session fork."""


class TranscriptMessageRangeSelection(TypedDict):
    type: Literal["message_range"]
    start: int
    end: int


TranscriptRewriteSelection = TranscriptMessageRangeSelection
"""Concrete transcript selection for same-session rewrite."""


class TranscriptRewriteReason(TypedDict):
    kind: str
    note: NotRequired[str | None]


class TranscriptRewriteSystemMessage(TypedDict):
    role: Literal["system"]
    content: str
    created_at: NotRequired[str]


class TranscriptRewriteSystemNoticeMessage(TypedDict):
    role: Literal["system_notice"]
    kind: str
    body: NotRequired[str | None]
    content: NotRequired[str]
    blocks: NotRequired[list[dict[str, Any]]]
    created_at: NotRequired[str]


class TranscriptRewriteUserMessage(TypedDict):
    role: Literal["user"]
    content: SessionContentInput
    transcript_role: NotRequired[TranscriptUserRole]
    created_at: NotRequired[str]


class TranscriptRewriteBlockAssistantMessage(TypedDict):
    role: Literal["block_assistant"]
    blocks: list[dict[str, Any]]
    stop_reason: NotRequired[str]
    created_at: NotRequired[str]


class TranscriptRewriteToolResultsMessage(TypedDict):
    role: Literal["tool_results"]
    results: list[dict[str, Any]]
    created_at: NotRequired[str]


TranscriptRewriteMessage = (
    TranscriptRewriteSystemMessage
    | TranscriptRewriteSystemNoticeMessage
    | TranscriptRewriteUserMessage
    | TranscriptRewriteBlockAssistantMessage
    | TranscriptRewriteToolResultsMessage
)
"""Public transcript message accepted by same-session rewrite APIs."""

TranscriptRewriteInputMessage = TranscriptRewriteMessage | SessionMessage
"""Public rewrite input; accepts raw rewrite messages or SDK-read session messages."""


ForkCacheProvider = Literal["anthropic", "openai", "gemini", "self_hosted", "other"]
ForkCacheLoweredRequestEncoding = Literal[
    "anthropic_messages_json",
    "open_ai_responses_json",
    "open_ai_chat_completions_json",
    "gemini_generate_content_json",
]
ForkCacheTtl = Literal[
    "five_minutes",
    "one_hour",
    "thirty_minutes",
    "twenty_four_hours",
    "provider_default",
]
ForkCacheInheritanceUnavailableReason = Literal[
    "no_authored_breakpoint_at_boundary",
    "provider_model_mismatch",
    "target_identity_unresolved",
    "target_lowering_unavailable",
    "rendered_prefix_projection_unavailable",
    "authored_evidence_invalid",
]


@dataclass(frozen=True, slots=True)
class ForkCacheBreakpointBoundary:
    """Canonical transcript boundary with an authored cache breakpoint."""

    kind: Literal["system_profile_prefix", "transcript_after"]
    message_count: int


@dataclass(frozen=True, slots=True)
class ForkCacheLoweredRequestProvenance:
    """Provenance of the fully lowered provider request body."""

    provider: ForkCacheProvider
    encoding: ForkCacheLoweredRequestEncoding
    body_sha256: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ForkAuthoredCacheBreakpoint:
    """Provider-authored evidence for a cache-compatible boundary."""

    provider: ForkCacheProvider
    model: str
    boundary: ForkCacheBreakpointBoundary
    canonical_prefix_sha256: str
    canonical_prefix_bytes: int
    rendered_prefix_sha256: str
    rendered_prefix_bytes: int
    lowered_request_provenance: ForkCacheLoweredRequestProvenance
    ttl: ForkCacheTtl


@dataclass(frozen=True, slots=True)
class ForkPoint:
    """Verified provider-cache-compatible durable transcript fork point."""

    message_count: int
    authored_cache_breakpoint: ForkAuthoredCacheBreakpoint


@dataclass(frozen=True, slots=True)
class ForkCacheInheritanceAvailable:
    """A fork inherited cache evidence at an authored breakpoint."""

    fork_point: ForkPoint
    status: Literal["available"] = "available"


@dataclass(frozen=True, slots=True)
class ForkCacheInheritanceUnavailable:
    """A valid durable fork could not inherit provider cache evidence."""

    message_count: int
    reason: ForkCacheInheritanceUnavailableReason
    status: Literal["unavailable"] = "unavailable"


ForkCacheInheritance = (
    ForkCacheInheritanceAvailable | ForkCacheInheritanceUnavailable
)
"""Exact provider cache inheritance disposition for a durable fork."""


@dataclass(frozen=True, slots=True)
class SessionForkResult:
    """Result of creating a forked transcript branch."""

    source_session_id: str
    session_id: str
    message_count: int
    cache_inheritance: ForkCacheInheritance
    session_ref: str | None = None


@dataclass(frozen=True, slots=True)
class SessionTranscriptRewriteResult:
    """Result of committing a same-session transcript rewrite."""

    session_id: str = ""
    parent_revision: str = ""
    revision: str = ""
    message_count: int = 0
    commit: dict[str, Any] = field(default_factory=dict)


SystemPromptUpdateStatus = Literal["applied", "duplicate"]


@dataclass(frozen=True, slots=True)
class SystemPromptUpdateResult:
    """Result of explicitly replacing one durable system-prompt key."""

    session_id: str = ""
    key: str = ""
    version: int = 0
    message_index: int = 0
    status: SystemPromptUpdateStatus = "applied"
    transcript_revision: str = ""
    commit: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class EventSourceIdentity:
    """Typed source identity for session or runtime event semantics."""

    type: str
    session_id: str | None = None
    runtime_id: str | None = None
    interaction_id: str | None = None
    source_id: str | None = None


@dataclass(frozen=True, slots=True)
class EventEnvelope:
    """Session or agent event with delivery metadata."""

    event_id: str
    source: EventSourceIdentity
    seq: int
    timestamp_ms: int
    payload: Event
    mob_id: str | None = None


@dataclass(frozen=True, slots=True)
class AttributedEvent:
    """Mob event annotated with the emitting member identity."""

    source: str
    role: str
    envelope: EventEnvelope
    source_fence_token: int | None = None


@dataclass(frozen=True, slots=True)
class Capability:
    """A runtime capability and its availability status."""

    id: str = ""
    description: str = ""
    status: str = ""

    @property
    def available(self) -> bool:
        """Whether this capability is available."""
        return self.status == "Available"
