/**
 * Meerkat client — spawns rkat-rpc and communicates via JSON-RPC.
 *
 * @example
 * ```ts
 * import { MeerkatClient } from "@rkat/sdk";
 *
 * const client = new MeerkatClient();
 * await client.connect();
 *
 * const session = await client.createSession("Hello!");
 * console.log(session.text);
 *
 * const result = await session.turn("Tell me more");
 * console.log(result.text);
 *
 * for await (const event of session.stream("Explain in detail")) {
 *   if (event.type === "text_delta") {
 *     process.stdout.write(event.delta);
 *   }
 * }
 *
 * await session.archive();
 * await client.close();
 * ```
 */

import { spawn, type ChildProcess } from "node:child_process";
import type { SpawnOptions } from "node:child_process";
import { once } from "node:events";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { createInterface, type Interface as ReadlineInterface } from "node:readline";
import { Buffer } from "node:buffer";
import {
  MeerkatError,
  CapabilityUnavailableError,
  meerkatErrorFromJsonRpcCode,
} from "./generated/errors.js";
import { isCompatibleWith } from "./generated/version_compat.js";
import type {
  RpcMethodContracts,
  RpcMethodName,
} from "./generated/rpc_contracts.js";
import {
  CONTRACT_VERSION,
  type CallbackToolDefinition,
  type AttentionBindingRequest,
  type CapabilitiesResponse,
  type ConfigPatchParams,
  type ConfigSetParams,
  type ConfigWriteResult,
  type CommsPeersResult,
  type CommsSendResult,
  type InterruptResult,
  type JobsArtifactsParams,
  type JobsArtifactsResult,
  type JobsCancelParams,
  type JobsCancelResult,
  type JobsGetParams,
  type JobsGetResult,
  type JobsHealthResult,
  type JobsListParams,
  type JobsListResult,
  type JobsProgressParams,
  type JobsProgressResult,
  type JobsResultParams,
  type JobsResultResult,
  type JobsRetryParams,
  type JobsRetryResult,
  type JobsSubscribeParams,
  type JobsSubscribeResult,
  type JobsUnsubscribeParams,
  type JobsUnsubscribeResult,
  type ServerCapabilities,
  type SkillEntry,
  type WorkEventsResult,
  type WorkItemsResult,
  type LiveChannelParams,
  type LiveCloseResult,
  type LiveCommitInputParams,
  type LiveOpenParams,
  type LiveOpenResult,
  type LiveRefreshResult,
  type LiveSendInputParams,
  type LiveStatusResult,
  type LiveTruncateParams,
  type LiveWebrtcAnswerParams,
  type LiveWebrtcAnswerResult,
  type MobFlowRunResult,
  type MobFlowStatusResult,
  type MobRunParams,
  type MobRunResult,
  type MobRunResultParams,
  type MobMemberParams,
  type MobMemberStatusResult,
  type MobMemberToolDeclarationResult,
  type MobApplyMemberToolDeclarationResult,
  type MobAdoptMemberIdentityDeclarationParams,
  type MobAdoptMemberIdentityDeclarationResult,
  type MobResolveIdentityConvergenceBlockResult,
  type MobkitJobCancelAckParams,
  type MobkitJobCheckpointParams,
  type MobkitJobCompleteParams,
  type MobkitJobFailParams,
  type MobkitJobHeartbeatParams,
  type MobkitJobMutationResult,
  type MobkitJobProgressParams,
  type MobSpawnManyParams,
  type MobSpawnManyResult,
  type WireLiveAdapterObservation,
  type WireAuthBindingRef,
  type MobSpawnSpecParams,
  type MobTurnStartParams,
  type MonitorsStartParams,
  type MonitorsStartResult,
  type MobWireMembersBatchEdge as WireMobWireMembersBatchEdge,
  type MobRotateSupervisorResult,
  type MobConcludeObjectiveParams,
  type MobConcludeObjectiveResult,
  type McpAddParams,
  type McpLiveOpResponse,
  type McpReloadParams,
  type McpRemoveParams,
  type MobSpawnManyFailureCause,
  type MobSpawnManyResultEntry,
  type WireMobMemberStatus,
  type WireMemberProgressSnapshot,
  type WireIdentityConvergenceMode,
  type WireMemberToolDeclaration,
  type WireMemberLifecycleCapabilities,
  type WireNonPortableResourceKind,
  type WireReachability,
  type ToolsRegisterParams,
  type ToolsRegisterResult,
  SkillListResponse,
} from "./generated/types.js";
import type {
  ApprovalDecideParams as RpcApprovalDecideParams,
  ApprovalGetParams as RpcApprovalGetParams,
  ApprovalListParams as RpcApprovalListParams,
  ApprovalListResult as RpcApprovalListResult,
  ApprovalRecord as RpcApprovalRecord,
  ApprovalRequestParams as RpcApprovalRequestParams,
  ArchiveSessionParams as RpcArchiveSessionParams,
  ArtifactDownloadParams as RpcArtifactDownloadParams,
  ArtifactDownloadResult as RpcArtifactDownloadResult,
  ArtifactIdParams as RpcArtifactIdParams,
  ArtifactListParams as RpcArtifactListParams,
  ArtifactListResult as RpcArtifactListResult,
  ArtifactRecord as RpcArtifactRecord,
  BindingIdParams as RpcBindingIdParams,
  BlobGetParams as RpcBlobGetParams,
  BlobPayload as RpcBlobPayload,
  CreateProfileParams as RpcCreateProfileParams,
  CreateScheduleRequest as RpcCreateScheduleRequest,
  DeferredCreateResult as RpcDeferredCreateResult,
  DeviceCompleteParams as RpcDeviceCompleteParams,
  DeviceStartParams as RpcDeviceStartParams,
  EventsLatestCursorParams as RpcEventsLatestCursorParams,
  EventsLatestCursorResult as RpcEventsLatestCursorResult,
  EventsListSinceParams as RpcEventsListSinceParams,
  EventsListSinceResult as RpcEventsListSinceResult,
  EventsSnapshotParams as RpcEventsSnapshotParams,
  EventsSnapshotResult as RpcEventsSnapshotResult,
  ForkSessionAtParams as RpcForkSessionAtParams,
  ForkSessionReplaceParams as RpcForkSessionReplaceParams,
  HelpRequest as RpcHelpRequest,
  HelpResponse as RpcHelpResponse,
  InjectSystemContextParams as RpcInjectSystemContextParams,
  InjectSystemContextResult as RpcInjectSystemContextResult,
  InterruptParams as RpcInterruptParams,
  ListSessionTranscriptRevisionsParams as RpcListSessionTranscriptRevisionsParams,
  SessionInputStateParams as RpcSessionInputStateParams,
  SessionInputStateResult as RpcSessionInputStateResult,
  ListSessionsParams as RpcListSessionsParams,
  ListSessionsResult as RpcListSessionsResult,
  LiveCommitInputResult as RpcLiveCommitInputResult,
  LiveInterruptResult as RpcLiveInterruptResult,
  LiveSendInputResult as RpcLiveSendInputResult,
  LiveTruncateResult as RpcLiveTruncateResult,
  LiveCloseResult as RpcLiveCloseResult,
  LiveOpenResult as RpcLiveOpenResult,
  LiveStatusResult as RpcLiveStatusResult,
  BridgeLiveControlOutcome as RpcBridgeLiveControlOutcome,
  BridgeLiveControlVerb as RpcBridgeLiveControlVerb,
  LoginCompleteParams as RpcLoginCompleteParams,
  LoginStartParams as RpcLoginStartParams,
  MobBindHostParams as RpcMobBindHostParams,
  MobBindHostResult as RpcMobBindHostResult,
  MobGrantScopesParams as RpcMobGrantScopesParams,
  MobGrantScopesResult as RpcMobGrantScopesResult,
  MobGrantsResult as RpcMobGrantsResult,
  MobHardCancelParams as RpcMobHardCancelParams,
  MobHardCancelResult as RpcMobHardCancelResult,
  MobHostStatus as RpcMobHostStatus,
  MobHostsResult as RpcMobHostsResult,
  MobIdParams as RpcMobIdParams,
  MobMemberHistoryParams as RpcMobMemberHistoryParams,
  MobMemberHistoryResult as RpcMobMemberHistoryResult,
  MobMemberLiveChannelParams as RpcMobMemberLiveChannelParams,
  MobMemberLiveControlParams as RpcMobMemberLiveControlParams,
  MobMemberLiveOpenParams as RpcMobMemberLiveOpenParams,
  MobMemberLiveStatusParams as RpcMobMemberLiveStatusParams,
  MobRevokeHostParams as RpcMobRevokeHostParams,
  MobRevokeHostResult as RpcMobRevokeHostResult,
  MobRevokeScopesParams as RpcMobRevokeScopesParams,
  MobRevokeScopesResult as RpcMobRevokeScopesResult,
  MobRouteInstallsResult as RpcMobRouteInstallsResult,
  WireHostBindingDescriptor as RpcWireHostBindingDescriptor,
  WireHostCapabilityFlags as RpcWireHostCapabilityFlags,
  WireRouteInstallObligation as RpcWireRouteInstallObligation,
  ExportAtifParams as RpcExportAtifParams,
  ProvisionApiKeyParams as RpcProvisionApiKeyParams,
  ReadSessionHistoryParams as RpcReadSessionHistoryParams,
  ReadSessionParams as RpcReadSessionParams,
  ReadSessionTranscriptRevisionParams as RpcReadSessionTranscriptRevisionParams,
  RealmIdParams as RpcRealmIdParams,
  RestoreSessionTranscriptRevisionParams as RpcRestoreSessionTranscriptRevisionParams,
  RewriteSessionTranscriptParams as RpcRewriteSessionTranscriptParams,
  RuntimeHostCapabilities as RpcRuntimeHostCapabilities,
  RuntimeHostHealth as RpcRuntimeHostHealth,
  RuntimeHostInfo as RpcRuntimeHostInfo,
  Schedule as RpcSchedule,
  ScheduleToolCallParams as RpcScheduleToolCallParams,
  ScheduleToolsResult as RpcScheduleToolsResult,
  SessionExternalEventParams as RpcSessionExternalEventParams,
  SessionForkResult as RpcSessionForkResult,
  SessionPeerResponseTerminalParams as RpcSessionPeerResponseTerminalParams,
  SessionTranscriptRewriteResult as RpcSessionTranscriptRewriteResult,
  SystemPromptUpdateResult as RpcSystemPromptUpdateResult,
  UpdateSystemPromptParams as RpcUpdateSystemPromptParams,
  WireDeviceCompleteResult as RpcWireDeviceCompleteResult,
  WireProvisionApiKeyResult as RpcWireProvisionApiKeyResult,
  WireRunResult as RpcWireRunResult,
  WireSessionTranscriptRevision as RpcWireSessionTranscriptRevision,
  WireSessionTranscriptRevisionList as RpcWireSessionTranscriptRevisionList,
  CommsPeersParams as RpcCommsPeersParams,
  CommsSendParams as RpcCommsSendParams,
  ListSchedulesParams as RpcListSchedulesParams,
  MobAppendSystemContextParams as RpcMobAppendSystemContextParams,
  MobAppendSystemContextResult as RpcMobAppendSystemContextResult,
  MobCancelAllWorkParams as RpcMobCancelAllWorkParams,
  MobCancelAllWorkResult as RpcMobCancelAllWorkResult,
  MobCancelWorkParams as RpcMobCancelWorkParams,
  MobCancelWorkResult as RpcMobCancelWorkResult,
  MobCreateParams as RpcMobCreateParams,
  MobCreateResult as RpcMobCreateResult,
  MobDestroyResult as RpcMobDestroyResult,
  MobEnsureMemberParams as RpcMobEnsureMemberParams,
  MobEnsureMemberResult as RpcMobEnsureMemberResult,
  MobEventsParams as RpcMobEventsParams,
  MobEventsResult as RpcMobEventsResult,
  MobFlowCancelParams as RpcMobFlowCancelParams,
  MobFlowCancelResult as RpcMobFlowCancelResult,
  MobFlowRunParams as RpcMobFlowRunParams,
  MobFlowStatusParams as RpcMobFlowStatusParams,
  MobFlowsResult as RpcMobFlowsResult,
  MobForceCancelResult as RpcMobForceCancelResult,
  MobForkHelperParams as RpcMobForkHelperParams,
  MobHelperResult as RpcMobHelperResult,
  MobIngressInteractionParams as RpcMobIngressInteractionParams,
  MobIngressInteractionResult as RpcMobIngressInteractionResult,
  MobLifecycleParams as RpcMobLifecycleParams,
  MobLifecycleResult as RpcMobLifecycleResult,
  MobListMembersMatchingParams as RpcMobListMembersMatchingParams,
  MobListMembersMatchingResult as RpcMobListMembersMatchingResult,
  MobListResult as RpcMobListResult,
  MobMemberSendParams as RpcMobMemberSendParams,
  MobMemberSendResult as RpcMobMemberSendResult,
  MobMembersResult as RpcMobMembersResult,
  MobProfileCreateParams as RpcMobProfileCreateParams,
  MobProfileDeleteParams as RpcMobProfileDeleteParams,
  MobProfileDeleteResult as RpcMobProfileDeleteResult,
  MobProfileListResult as RpcMobProfileListResult,
  MobProfileLookupResult as RpcMobProfileLookupResult,
  MobProfileNameParams as RpcMobProfileNameParams,
  MobProfileUpdateParams as RpcMobProfileUpdateParams,
  MobReconcileParams as RpcMobReconcileParams,
  MobReconcileResult as RpcMobReconcileResult,
  MobRespawnParams as RpcMobRespawnParams,
  MobRespawnResult as RpcMobRespawnResult,
  MobRetireResult as RpcMobRetireResult,
  MobSnapshotResult as RpcMobSnapshotResult,
  MobSpawnHelperParams as RpcMobSpawnHelperParams,
  MobSpawnParams as RpcMobSpawnParams,
  MobSpawnResult as RpcMobSpawnResult,
  MobStatusResult as RpcMobStatusResult,
  MobStreamCloseParams as RpcMobStreamCloseParams,
  MobStreamCloseResult as RpcMobStreamCloseResult,
  MobStreamOpenParams as RpcMobStreamOpenParams,
  MobStreamOpenResult as RpcMobStreamOpenResult,
  MobSubmitWorkParams as RpcMobSubmitWorkParams,
  MobSubmitWorkResult as RpcMobSubmitWorkResult,
  MobUnwireParams as RpcMobUnwireParams,
  MobUnwireResult as RpcMobUnwireResult,
  MobWaitMembersResult as RpcMobWaitMembersResult,
  MobWaitParams as RpcMobWaitParams,
  MobWireMembersBatchParams as RpcMobWireMembersBatchParams,
  MobWireMembersBatchResult as RpcMobWireMembersBatchResult,
  MobWireParams as RpcMobWireParams,
  MobWireResult as RpcMobWireResult,
  ModelsCatalogResponse as RpcModelsCatalogResponse,
  RuntimeAcceptResult as RpcRuntimeAcceptResult,
  ScheduleIdParams as RpcScheduleIdParams,
  ScheduleListResult as RpcScheduleListResult,
  ScheduleOccurrencesParams as RpcScheduleOccurrencesParams,
  ScheduleOccurrencesResult as RpcScheduleOccurrencesResult,
  SessionStreamCloseParams as RpcSessionStreamCloseParams,
  SessionStreamCloseResult as RpcSessionStreamCloseResult,
  SessionStreamOpenParams as RpcSessionStreamOpenParams,
  SessionStreamOpenResult as RpcSessionStreamOpenResult,
  UpdateScheduleParams as RpcUpdateScheduleParams,
  WireAuthProfileCleared as RpcWireAuthProfileCleared,
  WireAuthProfileCreated as RpcWireAuthProfileCreated,
  WireAuthProfileDetail as RpcWireAuthProfileDetail,
  WireAuthProfilesList as RpcWireAuthProfilesList,
  WireAuthStatusDetail as RpcWireAuthStatusDetail,
  WireDeviceStart as RpcWireDeviceStart,
  WireLoginReady as RpcWireLoginReady,
  WireLoginStart as RpcWireLoginStart,
  WireRealmConnectionSet as RpcWireRealmConnectionSet,
  WireRealmList as RpcWireRealmList,
  WireSessionHistory as RpcWireSessionHistory,
  WireSessionInfo as RpcWireSessionInfo,
  WireContentBlock as RpcWireContentBlock,
  WireContentInput as RpcWireContentInput,
  WireTranscriptReplacement as RpcWireTranscriptReplacement,
  TranscriptRewriteMessage as RpcTranscriptRewriteMessage,
  MobProfileInput as RpcMobProfileInput,
  MobDefinitionInput as RpcMobDefinitionInput,
  MobMemberSpecWire as RpcMobMemberSpecWire,
  MobReconcileOptionsWire as RpcMobReconcileOptionsWire,
  ContentBlock as RpcCommsContentBlock,
  CommsPeerRequestParams as RpcCommsPeerRequestParams,
} from "./generated/types.js";
import { DeferredSession, Session } from "./session.js";
import {
  Mob,
  type MemberDeliveryReceipt,
  type MemberSendOptions,
  type MobBoundedHelperResult,
  type MobHandlingMode,
  type MobForkHelperOptions,
  type MobHelperResult,
  type MobHelperOptions,
  type MobKickoffMemberSnapshot,
  type MobKickoffWaitOptions,
  type MobMemberSnapshot,
  type MobPeerConnectivity,
  type MobPeerConnectivitySnapshot,
  type MobReadyMemberSnapshot,
  type MobReadyWaitOptions,
  type MobPeerTarget,
  type MobUnreachablePeer,
} from "./mob.js";
import { parseAgentEventEnvelope } from "./event-envelope.js";
import { EventStream, AsyncQueue } from "./streaming.js";
import { EventSubscription } from "./subscription.js";
import type {
  AgentEventEnvelope,
  AttributedMobEvent,
  BlobPayload,
  Capability,
  CommsCommand,
  ConfigEnvelope,
  ContentInput,
  ContentBlock,
  CreateScheduleRequest,
  ForkAuthoredCacheBreakpoint,
  ForkCacheBreakpointBoundary,
  ForkCacheInheritance,
  ForkCacheInheritanceUnavailableReason,
  ForkCacheLoweredRequestEncoding,
  ForkCacheLoweredRequestProvenance,
  ForkCacheProvider,
  ForkCacheTtl,
  ForkPoint,
  HelpOptions,
  ModelProfile,
  ModelsCatalog,
  MobEventsOptions,
  MobEventsResult,
  MobControlScope,
  MobGrantRecord,
  MobCreateOptions,
  MobFlowStatus,
  MobLifecycleAction,
  MobMember,
  MobMemberRef,
  MobProfile,
  MobProfileDeleteResult,
  MobProfileLookupResult,
  MobRunResult as PublicMobRunResult,
  MobSpawnResult,
  MobStatus,
  MobSummary,
  MobTurnStartOptions,
  MobWireMembersBatchEdgeInput,
  MobWireMembersBatchResult,
  PeerCorrelationId,
  PeerId,
  PeerResponseTerminalOptions,
  ResolvedModelCapabilities,
  RunResult,
  Schedule,
  ScheduleListOptions,
  ScheduleOccurrencesOptions,
  ScheduleOccurrencesResult,
  ScheduleToolCallRequest,
  ScheduleToolsResult,
  SchemaWarning,
  SessionAssistantBlock,
  SessionContentBlock,
  SessionContentInput,
  SessionForkResult,
  SessionHistory,
  SessionIngressOptions,
  SessionInfo,
  SessionListOptions,
  SessionMessage,
  SessionOptions,
  SessionTranscriptRevision,
  SessionTranscriptRevisionEntry,
  SessionTranscriptRevisionList,
  SessionTranscriptRewriteResult,
  SystemPromptUpdateOptions,
  SystemPromptUpdateResult,
  SystemPromptVersionIdentity,
  SessionToolResult,
  SkillKey,
  SkillRef,
  SkillRuntimeDiagnostics,
  SpawnManySpec,
  SpawnSpec,
  TranscriptForkOptions,
  TranscriptReplacement,
  TranscriptRewriteInputMessage,
  TranscriptRewriteMessage,
  TranscriptRewriteOptions,
  TranscriptRewriteReason,
  TranscriptRewriteSelection,
  UpdateScheduleRequest,
  TurnOptions,
  Usage,
  ReadyWorkFilter,
  WorkGraphEventFilter,
  WorkGraphIdParams,
  WorkGraphItemLookupOptions,
  WorkGraphSnapshotFilter,
  WorkItemFilter,
} from "./types.js";
import {
  parseAttentionListResult,
  parseGoalStatusResult,
  parseWorkGraphEvent,
  parseWorkGraphSnapshot,
  parseWorkItem,
  type AttentionListRequest,
  type AttentionListResult,
  type GoalStatusRequest,
  type GoalStatusResult,
  type WorkGraphSnapshot,
  type WorkItem,
} from "./generated/types.js";

const MEERKAT_REPO = "lukacf/meerkat";
const MEERKAT_RELEASE_BINARY = "rkat-rpc";
const MEERKAT_BINARY_CACHE_ROOT = path.join(
  os.homedir(),
  ".cache",
  "meerkat",
  "bin",
  MEERKAT_RELEASE_BINARY,
);
const MOB_SPAWN_MANY_FAILURE_CAUSES = new Set<string>([
  "profile_not_found",
  "member_not_found",
  "member_already_exists",
  "not_externally_addressable",
  "invalid_transition",
  "wiring_error",
  "bridge_command_rejected",
  "member_restore_failed",
  "missing_member_capability",
  "kickoff_wait_timed_out",
  "ready_wait_timed_out",
  "definition_error",
  "flow_not_found",
  "flow_failed",
  "run_not_found",
  "run_canceled",
  "flow_turn_timed_out",
  "frame_depth_limit_exceeded",
  "frame_atomic_persistence_unavailable",
  "spec_revision_conflict",
  "schema_validation",
  "insufficient_targets",
  "topology_violation",
  "bridge_delivery_rejected",
  "supervisor_escalation",
  "unsupported_for_mode",
  "reset_barrier",
  "storage_error",
  "session_error",
  "comms_error",
  "callback_pending",
  "stale_fence_token",
  "stale_event_cursor",
  "work_not_found",
  "internal",
]);
function isMobSpawnManyFailureCause(value: unknown): value is MobSpawnManyFailureCause {
  return typeof value === "string" && MOB_SPAWN_MANY_FAILURE_CAUSES.has(value);
}

interface ResolvedBinary {
  command: string;
  useLegacySubcommand: boolean;
}

interface PlatformTarget {
  target: string;
  archiveExt: "tar.gz" | "zip";
  binaryName: string;
}

/** Options for connecting to the rkat-rpc runtime. */
export interface ConnectOptions {
  realmId?: string;
  instanceId?: string;
  realmBackend?: "jsonl" | "memory" | "sqlite";
  isolated?: boolean;
  stateRoot?: string;
  contextRoot?: string;
  userConfigRoot?: string;
  liveWs?: boolean;
  liveWebrtc?: boolean;
  liveToolTimeoutMs?: number;
}

/** Literal-safe options for opening a live channel on a mob member. */
export interface MobMemberLiveOpenOptions {
  turningMode?: RpcMobMemberLiveOpenParams["turning_mode"];
  transport?: RpcMobMemberLiveOpenParams["transport"];
}

interface WireSkillKey {
  [key: string]: string;
  source_uuid: string;
  skill_name: string;
}

interface WireSkillRef extends WireSkillKey {
  kind: "structured";
}

/**
 * Normalize a structured SkillRef to the bare SkillKey wire format.
 */
function normalizeSkillKey(ref: SkillRef): WireSkillKey {
  if (
    ref === null ||
    typeof ref !== "object" ||
    typeof ref.sourceUuid !== "string" ||
    typeof ref.skillName !== "string"
  ) {
    throw new Error("Skill references must be SkillKey objects");
  }
  return { source_uuid: ref.sourceUuid, skill_name: ref.skillName };
}

function skillKeysToWire(refs: SkillRef[] | undefined): WireSkillKey[] | undefined {
  if (!refs) return undefined;
  return refs.map(normalizeSkillKey);
}

function skillRefsToWire(refs: SkillRef[] | undefined): WireSkillRef[] | undefined {
  const keys = skillKeysToWire(refs);
  return keys?.map((key) => ({ kind: "structured", ...key }));
}

const MOB_CONTROL_SCOPES = new Set<MobControlScope>([
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
]);

function setIfDefined<T extends object, K extends keyof T>(
  payload: T,
  key: K,
  value: T[K] | undefined,
): void {
  if (value !== undefined) {
    payload[key] = value;
  }
}

function toWireContentBlock(
  block: ContentBlock,
): RpcWireContentBlock & RpcCommsContentBlock {
  if (block.type === "text") return block;
  if (block.type === "image") {
    return block.source === "blob"
      ? block
      : { ...block, source: "inline" };
  }
  return block.source === "uri"
    ? block
    : { ...block, source: "inline" };
}

function toWireContentInput(
  content: string | readonly ContentBlock[],
): RpcWireContentInput {
  return typeof content === "string"
    ? content
    : content.map(toWireContentBlock);
}

type DeepMutable<T> = T extends readonly (infer Item)[]
  ? DeepMutable<Item>[]
  : T extends object
    ? { -readonly [Key in keyof T]: DeepMutable<T[Key]> }
    : T;

function toMutableWire<T>(value: T): DeepMutable<T> {
  if (Array.isArray(value)) {
    return value.map((item) => toMutableWire(item)) as DeepMutable<T>;
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, toMutableWire(item)]),
    ) as DeepMutable<T>;
  }
  return value as DeepMutable<T>;
}

function toWirePeerRequestParams(
  params: Extract<CommsCommand, { kind: "peer_request" }>["params"],
): RpcCommsPeerRequestParams {
  const mutable = toMutableWire(params);
  if (
    !("command" in params) ||
    params.command !== "deliver_member_input"
  ) {
    return mutable as RpcCommsPeerRequestParams;
  }
  return {
    ...mutable,
    content: toWireContentInput(params.content),
    injected_context: params.injected_context?.map(toWireContentInput),
  } as RpcCommsPeerRequestParams;
}

function toWireCommsSendParams(
  sessionId: string,
  command: CommsCommand,
): RpcCommsSendParams {
  switch (command.kind) {
    case "input":
    case "peer_message":
      return {
        ...command,
        session_id: sessionId,
        blocks: command.blocks?.map(toWireContentBlock),
      };
    case "peer_request":
      return {
        ...command,
        session_id: sessionId,
        params: toWirePeerRequestParams(command.params),
        blocks: command.blocks?.map(toWireContentBlock),
      };
    case "peer_lifecycle":
    case "peer_response":
      return { ...command, session_id: sessionId };
  }
}

function toWireMobProfile(profile: MobProfile): RpcMobProfileInput {
  const { resume_overrides, skills, ...rest } = profile;
  const payload: RpcMobProfileInput = { ...rest };
  setIfDefined(
    payload,
    "resume_overrides",
    resume_overrides ? [...resume_overrides] : undefined,
  );
  setIfDefined(payload, "skills", skills ? [...skills] : undefined);
  return payload;
}

function toWireMobDefinition(
  definition: MobCreateOptions["definition"],
): RpcMobDefinitionInput {
  const { models, flows, skills, ...rest } = definition;
  const payload: RpcMobDefinitionInput = {
    ...rest,
    profiles: Object.fromEntries(
      Object.entries(definition.profiles).map(([name, binding]) => [
        name,
        "realm_profile" in binding
          ? { realm_profile: binding.realm_profile }
          : toWireMobProfile(binding),
      ]),
    ),
  };
  setIfDefined(payload, "models", models ? { ...models } : undefined);
  setIfDefined(payload, "flows", flows ? { ...flows } : undefined);
  setIfDefined(payload, "skills", skills ? { ...skills } : undefined);
  return payload;
}

function mobSpawnPayload(mobId: string, spec: SpawnSpec): RpcMobSpawnParams {
  const payload: RpcMobSpawnParams = {
    mob_id: mobId,
    profile: spec.profile,
    agent_identity: spec.agentIdentity,
  };
  setIfDefined(payload, "initial_message", spec.initialMessage);
  setIfDefined(payload, "runtime_mode", spec.runtimeMode);
  setIfDefined(payload, "backend", spec.backend);
  setIfDefined(payload, "labels", spec.labels);
  setIfDefined(payload, "context", spec.context);
  setIfDefined(payload, "additional_instructions", spec.additionalInstructions);
  setIfDefined(payload, "placement", spec.placement);
  setIfDefined(payload, "binding", spec.binding);
  setIfDefined(payload, "shell_env", spec.shellEnv ? { ...spec.shellEnv } : undefined);
  setIfDefined(payload, "auto_wire_parent", spec.autoWireParent);
  setIfDefined(payload, "launch_mode", spec.launchMode);
  setIfDefined(payload, "tool_access_policy", spec.toolAccessPolicy);
  setIfDefined(payload, "inherited_tool_filter", spec.inheritedToolFilter);
  setIfDefined(payload, "override_profile", spec.overrideProfile);
  setIfDefined(payload, "model_override", spec.modelOverride);
  setIfDefined(payload, "auth_binding", spec.authBinding);
  return payload;
}

function mobSpawnManySpecPayload(spec: SpawnManySpec): MobSpawnSpecParams {
  const payload: MobSpawnSpecParams = {
    profile: spec.profile,
    agent_identity: spec.agentIdentity,
  };
  setIfDefined(payload, "initial_message", spec.initialMessage);
  setIfDefined(payload, "runtime_mode", spec.runtimeMode);
  setIfDefined(payload, "backend", spec.backend);
  setIfDefined(payload, "labels", spec.labels);
  setIfDefined(payload, "context", spec.context);
  setIfDefined(payload, "additional_instructions", spec.additionalInstructions);
  setIfDefined(payload, "placement", spec.placement);
  setIfDefined(payload, "auth_binding", spec.authBinding);
  setIfDefined(payload, "model_override", spec.modelOverride);
  return payload;
}

function mobTurnStartPayload(
  mobId: string,
  agentIdentity: string,
  prompt: ContentInput,
  options?: MobTurnStartOptions,
): MobTurnStartParams {
  const payload: MobTurnStartParams = {
    mob_id: mobId,
    agent_identity: agentIdentity,
    prompt: typeof prompt === "string"
      ? prompt
      : prompt.map((block) => ({ ...block })) as MobTurnStartParams["prompt"],
  };
  const wireRefs = skillRefsToWire(options?.skillRefs);
  if (wireRefs) {
    payload.skill_refs = wireRefs as MobTurnStartParams["skill_refs"];
  }
  if (options?.turnToolOverlay) {
    payload.turn_tool_overlay = {
      allowed_tools: options.turnToolOverlay.allowedTools,
      blocked_tools: options.turnToolOverlay.blockedTools,
    } as MobTurnStartParams["turn_tool_overlay"];
  }
  setIfDefined(payload, "additional_instructions", options?.additionalInstructions);
  setIfDefined(
    payload,
    "injected_context",
    options?.injectedContext as MobTurnStartParams["injected_context"],
  );
  setIfDefined(payload, "transient_turn_context", options?.transientTurnContext);
  setIfDefined(payload, "keep_alive", options?.keepAlive);
  setIfDefined(payload, "model", options?.model);
  setIfDefined(payload, "provider", options?.provider);
  setIfDefined(payload, "self_hosted_server_id", options?.selfHostedServerId);
  setIfDefined(payload, "max_tokens", options?.maxTokens);
  setIfDefined(payload, "system_prompt", options?.systemPrompt);
  setIfDefined(payload, "output_schema", options?.outputSchema);
  setIfDefined(payload, "structured_output_retries", options?.structuredOutputRetries);
  setIfDefined(payload, "provider_params", options?.providerParams);
  setIfDefined(payload, "auth_binding", options?.authBinding);
  return payload;
}

function normalizeMobWireMembersBatchEdge(
  edge: MobWireMembersBatchEdgeInput,
): WireMobWireMembersBatchEdge {
  if (!Array.isArray(edge) && typeof edge === "object" && edge !== null) {
    const objectEdge = edge as { readonly a: string; readonly b: string };
    return { a: objectEdge.a, b: objectEdge.b };
  }
  const [a, b] = edge as readonly [string, string];
  return { a, b };
}

export class MeerkatClient {
  private process: ChildProcess | null = null;
  // Permanent transport-failed state: once the JSONL framing is untrustworthy
  // (corrupted frame), every subsequent call must reject with this recorded
  // typed fault instead of writing into the condemned stream. Cleared only by
  // a fresh connect() (new process, new stream).
  private transportFault: MeerkatError | null = null;
  private processStderr = "";
  private requestId = 0;
  private _capabilities: Capability[] = [];
  private _methods = new Set<string>();
  private rkatPath: string;
  private pendingRequests = new Map<
    number,
    { resolve: (value: Record<string, unknown>) => void; reject: (reason: unknown) => void }
  >();
  private eventQueues = new Map<string, AsyncQueue<Record<string, unknown> | null>>();
  private streamQueues = new Map<string, AsyncQueue<Record<string, unknown> | null>>();
  // Per-request_id stream subscriptions for createSessionStreaming calls whose
  // session_id is not yet bound. Keyed by the JSON-RPC request id so concurrent
  // creates are admitted and correlated independently instead of colliding on a
  // single client-local slot (which previously threw INVALID_STATE before the
  // server had any chance to admit or reject the second create).
  private pendingStreamQueues = new Map<number, AsyncQueue<Record<string, unknown> | null>>();
  // Pre-binding events keyed by session_id. session_id is globally unique per
  // session, so buffering by session_id correlates correctly even when several
  // streams are pending: each event lands under the session it names, and the
  // response that binds that session_id drains exactly its own buffer.
  private unmatchedStreamBuffer = new Map<string, Record<string, unknown>[]>();
  private unmatchedStandaloneStreamBuffer = new Map<string, Record<string, unknown>[]>();
  private unmatchedStandaloneStreamEnd = new Map<string, Record<string, unknown>>();
  private streamTerminalOutcomes = new Map<string, Record<string, unknown>>();
  private rl: ReadlineInterface | null = null;
  private toolHandlers = new Map<
    string,
    {
      description: string;
      inputSchema: Record<string, unknown>;
      handler: (args: Record<string, unknown>) => Promise<string | ContentBlock[]>;
    }
  >();
  // Typed faults from post-connect tool registration. `registerTool` is sync and
  // the server round-trip is detached, so a genuine server rejection cannot be
  // surfaced to the synchronous caller. Recording it here makes the
  // silent-never-registers failure programmatically distinguishable instead of
  // being swallowed by a best-effort `.catch(() => {})`.
  private toolRegistrationErrors = new Map<string, MeerkatError>();

  constructor(rkatPath = "rkat-rpc") {
    this.rkatPath = rkatPath;
  }

  /**
   * Register a callback tool handler.
   *
   * @example
   * ```ts
   * client.registerTool("search", "Search the web", { type: "object" }, async (args) => {
   *   return `Results for ${args.q}`;
   * });
   * ```
   *
   * Handlers may return a plain string or a `ContentBlock[]` for multimodal
   * tool results. Block arrays are forwarded faithfully to the runtime as
   * `WireToolResultContent` (no string coercion).
   */
  registerTool(
    name: string,
    description: string,
    inputSchema: Record<string, unknown>,
    handler: (args: Record<string, unknown>) => Promise<string | ContentBlock[]>,
  ): void {
    this.toolHandlers.set(name, { description, inputSchema, handler });
    // A fresh declaration supersedes any stale fault from a prior failed attempt.
    this.toolRegistrationErrors.delete(name);
    // If already connected, register the new tool with the server immediately.
    if (this.process?.stdin) {
      void this.registerToolWithServer(name, description, inputSchema);
    }
  }

  /**
   * Send a single post-connect tool registration and resolve its outcome
   * without swallowing genuine faults.
   *
   * Benign disconnect/shutdown faults are tolerated: the local
   * `toolHandlers` registry still holds the definition and the next
   * `connect()` re-sends it, so the tool is not lost. A genuine server
   * rejection or protocol fault is a real failure that cannot reach the
   * synchronous `registerTool` caller, so we record it as an inspectable
   * typed fault (queryable via {@link toolRegistrationError}), marking the
   * tool unconfirmed. This replaces the previous `.catch(() => {})` that
   * laundered every failure into silence. The recorded fault is the
   * propagation channel: re-throwing on this detached promise would surface
   * only as an unhandled rejection (the caller is sync), so the typed record
   * is the observable signal instead.
   */
  private async registerToolWithServer(
    name: string,
    description: string,
    inputSchema: Record<string, unknown>,
  ): Promise<void> {
    try {
      const params: ToolsRegisterParams = {
        tools: [{ name, description, input_schema: inputSchema }],
      };
      const result = await this.request(
        "tools/register",
        params,
      );
      void result.registered;
    } catch (error) {
      const fault =
        error instanceof MeerkatError
          ? error
          : new MeerkatError(
              "TOOL_REGISTRATION_FAILED",
              `Tool ${name} registration failed: ${String(error)}`,
            );
      // Clean shutdown / disconnect is genuinely benign — the registry already
      // holds the definition and a future connect() will re-send it.
      const BENIGN_CODES = new Set([
        "CLIENT_CLOSED",
        "CONNECTION_CLOSED",
        "NOT_CONNECTED",
        "PROCESS_EXITED",
        "PROCESS_ERROR",
      ]);
      if (BENIGN_CODES.has(fault.code)) {
        return;
      }
      // Genuine server rejection / protocol fault: record the typed fault as
      // caller-inspectable state so the tool is programmatically known to be
      // unconfirmed. The synchronous `registerTool` caller cannot observe a
      // rejection on this detached promise, so the recorded fault — not a
      // re-throw — is the surfaced signal.
      this.toolRegistrationErrors.set(name, fault);
      return;
    }
    // Success: a prior failed attempt's fault no longer applies.
    this.toolRegistrationErrors.delete(name);
  }

  /**
   * Return the typed fault recorded for a tool whose post-connect registration
   * was rejected by the server, or `undefined` if the tool's most recent
   * registration attempt succeeded (or has not completed yet). Lets callers
   * distinguish a tool that silently never registered from one that is live.
   */
  toolRegistrationError(name: string): MeerkatError | undefined {
    return this.toolRegistrationErrors.get(name);
  }

  // -- Connection ---------------------------------------------------------

  async connect(options?: ConnectOptions): Promise<this> {
    if (options?.realmId && options?.isolated) {
      throw new MeerkatError("INVALID_ARGS", "realmId and isolated cannot both be set");
    }

    const resolved = await MeerkatClient.resolveBinaryPath(this.rkatPath);
    this.rkatPath = resolved.command;

    const hasAdvancedOptions = Boolean(
      options?.isolated
        || options?.realmId
        || options?.instanceId
        || options?.realmBackend
        || options?.stateRoot
        || options?.contextRoot
        || options?.userConfigRoot
        || options?.liveWs
        || options?.liveWebrtc,
    );
    if (resolved.useLegacySubcommand && hasAdvancedOptions) {
      throw new MeerkatError(
        "LEGACY_BINARY_UNSUPPORTED",
        "Realm/context options require the standalone rkat-rpc binary. Install rkat-rpc and retry.",
      );
    }
    const args = MeerkatClient.buildArgs(resolved.useLegacySubcommand, options);

    this.process = spawn(this.rkatPath, args, {
      stdio: ["pipe", "pipe", "pipe"],
    });
    // Fresh process, fresh stream: clear any recorded transport fault.
    this.transportFault = null;
    const child = this.process;
    this.processStderr = "";
    child.stderr?.on("data", (chunk: string | Buffer) => {
      this.processStderr = (this.processStderr + String(chunk)).slice(-8192);
    });
    child.once("error", (error) => {
      if (this.process === child) {
        this.process = null;
        this.rejectPendingRequests(
          new MeerkatError("PROCESS_ERROR", `Failed to start ${this.rkatPath}: ${error.message}`),
        );
        this.closeQueues();
      }
    });
    child.once("close", (code, signal) => {
      const expectedClose = this.process !== child;
      if (this.process === child) {
        this.process = null;
        this.rl?.close();
        this.rl = null;
      }
      if (!expectedClose) {
        const suffix = this.processStderr.trim() ? `: ${this.processStderr.trim()}` : "";
        this.rejectPendingRequests(
          new MeerkatError(
            "PROCESS_EXITED",
            `${this.rkatPath} exited before replying (code ${code ?? "null"}, signal ${signal ?? "null"})${suffix}`,
          ),
        );
        this.closeQueues();
      }
    });

    this.rl = createInterface({ input: this.process.stdout! });
    this.rl.on("line", (line: string) => this.handleLine(line));

    // Handshake — `initialize` returns the generated `ServerCapabilities`
    // contract; fields are validated below.
    const initResult = (await this.request("initialize", {})) as Partial<ServerCapabilities> &
      Record<string, unknown>;
    const serverVersion = String(initResult.contract_version ?? "");
    if (!MeerkatClient.checkVersionCompatible(serverVersion, CONTRACT_VERSION)) {
      throw new MeerkatError(
        "VERSION_MISMATCH",
        `Server version ${serverVersion} incompatible with SDK ${CONTRACT_VERSION}`,
      );
    }
    this._methods = new Set(
      Array.isArray(initResult.methods)
        ? initResult.methods.map((method) => String(method))
        : [],
    );

    // Fetch capabilities — generated `CapabilitiesResponse` contract.
    const capsResult = (await this.request("capabilities/get", {})) as Partial<CapabilitiesResponse> &
      Record<string, unknown>;
    if (!Array.isArray(capsResult.capabilities)) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        "Invalid capabilities/get response: capabilities must be a list",
      );
    }
    this._capabilities = capsResult.capabilities.map((cap) =>
      MeerkatClient.parseWireCapabilityEntry(cap),
    );

    // Register callback tools if any were declared.
    if (this.toolHandlers.size > 0) {
      const tools: CallbackToolDefinition[] = Array.from(this.toolHandlers.entries()).map(
        ([name, { description, inputSchema }]) => ({
          name,
          description,
          input_schema: inputSchema,
        }),
      );
      const params: ToolsRegisterParams = { tools };
      const result = await this.request(
        "tools/register",
        params,
      );
      void result.registered;
      // The bulk re-send confirmed every declared tool; drop stale per-tool faults.
      this.toolRegistrationErrors.clear();
    }

    return this;
  }

  async close(): Promise<void> {
    if (this.rl) {
      this.rl.close();
      this.rl = null;
    }
    const process = this.process;
    this.process = null;
    if (process) {
      process.stdin?.end();
      const closed = once(process, "close").catch(() => []);
      process.kill();
      const timeout = delay(5000).then(() => "timeout");
      const outcome = await Promise.race([closed, timeout]);
      if (outcome === "timeout" && process.exitCode == null && process.signalCode == null) {
        process.kill("SIGKILL");
        await closed.catch(() => {});
      }
      process.stdin?.destroy();
      process.stdout?.destroy();
      process.stderr?.destroy();
    }
    this.rejectPendingRequests(new MeerkatError("CLIENT_CLOSED", "Client closed"));
    this.closeQueues();
  }

  private rejectPendingRequests(reason: unknown): void {
    for (const [, pending] of this.pendingRequests) {
      pending.reject(reason);
    }
    this.pendingRequests.clear();
  }

  /**
   * Surface a typed transport/protocol fault to every pending caller and
   * stream consumer. Used when the read loop encounters a corrupted frame and
   * the stream can no longer be trusted, so callers fail closed instead of
   * hanging on a dropped response.
   */
  private failTransport(reason: unknown): void {
    if (!this.transportFault) {
      this.transportFault =
        reason instanceof MeerkatError
          ? reason
          : new MeerkatError("PROTOCOL_ERROR", String(reason));
    }
    this.rejectPendingRequests(reason);
    this.closeQueues();
    // Fail closed: the stream is condemned, so the process goes with it —
    // leaving it alive would let later calls write into framing we just
    // classified as untrustworthy.
    if (this.rl) {
      this.rl.close();
      this.rl = null;
    }
    const process = this.process;
    this.process = null;
    if (process) {
      process.stdin?.destroy();
      process.kill();
    }
  }

  private closeQueues(): void {
    for (const [, queue] of this.eventQueues) {
      queue.put(null);
    }
    this.eventQueues.clear();
    for (const [, queue] of this.streamQueues) {
      queue.put(null);
    }
    this.streamQueues.clear();
    this.streamTerminalOutcomes.clear();
    for (const [, queue] of this.pendingStreamQueues) {
      queue.put(null);
    }
    this.pendingStreamQueues.clear();
    this.unmatchedStreamBuffer.clear();
  }

  // -- Session lifecycle --------------------------------------------------

  /**
   * Create a new session, run the first turn, and return a {@link Session}.
   *
   * @example
   * ```ts
   * const session = await client.createSession("Summarise this project", {
   *   model: "claude-sonnet-4-5",
   * });
   * console.log(session.text);
   * ```
   */
  async createSession(
    prompt: string | ContentBlock[],
    options?: SessionOptions,
  ): Promise<Session> {
    const params = MeerkatClient.buildCreateParams(prompt, options);
    const raw = await this.request("session/create", params);
    const result = MeerkatClient.parseRunResult(raw);
    return new Session(this, result);
  }

  /**
   * Create a new session and stream typed events from the first turn.
   *
   * Returns an {@link EventStream} `AsyncIterable<AgentEvent>`.
   */
  createSessionStreaming(
    prompt: string | ContentBlock[],
    options?: SessionOptions,
  ): EventStream {
    if (!this.process?.stdin) {
      throw new MeerkatError("NOT_CONNECTED", "Client not connected");
    }

    const params = MeerkatClient.buildCreateParams(prompt, options);
    this.requestId++;
    const requestId = this.requestId;

    // Per-request_id subscription: concurrent createSessionStreaming calls each
    // get their own pending queue keyed by request id, so a second create is no
    // longer rejected by a client-local singleton invariant. Admission/rejection
    // is left to the server.
    const queue = new AsyncQueue<Record<string, unknown> | null>();
    this.pendingStreamQueues.set(requestId, queue);
    const responsePromise = this.registerRequest(requestId);

    // When response arrives, bind this request's queue to its session_id.
    const wrappedPromise = responsePromise.then((result) => {
      const sid = String(result.session_id ?? "");
      if (sid) {
        // Drain only this session's pre-binding buffer — events are buffered by
        // session_id, so concurrent pending streams do not cross-deliver.
        const buffered = this.unmatchedStreamBuffer.get(sid) ?? [];
        for (const evt of buffered) {
          queue.put(evt);
        }
        this.unmatchedStreamBuffer.delete(sid);
        this.eventQueues.set(sid, queue);
      }
      this.pendingStreamQueues.delete(requestId);
      return result;
    }, (error) => {
      // The server rejected this create: tear down only this request's pending
      // subscription so its consumer fails closed, and leave any concurrent
      // pending streams untouched.
      this.pendingStreamQueues.delete(requestId);
      queue.put(null);
      throw error;
    });

    const rpcRequest = { jsonrpc: "2.0", id: requestId, method: "session/create", params };
    this.process.stdin!.write(JSON.stringify(rpcRequest) + "\n");

    return new EventStream({
      sessionId: "",
      eventQueue: queue,
      responsePromise: wrappedPromise,
      parseResult: MeerkatClient.parseRunResult,
    });
  }

  /**
   * Create a new session without running the first turn.
   *
   * Returns a {@link DeferredSession} whose `startTurn()` executes the first
   * turn with optional per-turn overrides.
   */
  async createDeferredSession(
    prompt: string | ContentBlock[],
    options?: SessionOptions,
  ): Promise<DeferredSession> {
    const params = MeerkatClient.buildCreateParams(prompt, options);
    params.initial_turn = "deferred";
    const raw = await this.request("session/create", params);
    const context = "Invalid session/create deferred response";
    return new DeferredSession(
      this,
      MeerkatClient.requireStringField(raw, "session_id", context),
      MeerkatClient.optionalStringField(raw, "session_ref", context),
    );
  }

  async askHelp(question: string, options?: HelpOptions): Promise<RunResult> {
    const params: RpcHelpRequest = { question };
    if (options?.prompt !== undefined) params.prompt = options.prompt;
    if (options?.executionMode !== undefined) {
      params.execution_mode = options.executionMode;
    }
    if (options?.model !== undefined) params.model = options.model;
    if (options?.provider !== undefined) params.provider = options.provider;
    if (options?.maxTokens !== undefined) params.max_tokens = options.maxTokens;
    const raw = await this.request("help/ask", params);
    return MeerkatClient.parseRunResult(raw);
  }

  // -- Session queries ----------------------------------------------------

  async listSessions(options?: SessionListOptions): Promise<SessionInfo[]> {
    const params: Record<string, unknown> = {};
    if (options?.labels) params.labels = options.labels;
    if (options?.limit !== undefined) params.limit = options.limit;
    if (options?.offset !== undefined) params.offset = options.offset;
    const result = await this.request("session/list", params);
    const sessions = MeerkatClient.requireRecordArray(
      result.sessions,
      "Invalid session/list response",
    );
    return sessions.map((s) => MeerkatClient.parseSessionSummary(s));
  }

  async readSession(sessionId: string): Promise<SessionInfo> {
    const raw = await this.request("session/read", { session_id: sessionId });
    return MeerkatClient.parseSessionInfo(raw);
  }

  async sendExternalEvent(
    sessionId: string,
    eventType: string,
    payload: unknown,
    options?: { blocks?: ContentBlock[] },
  ): Promise<Record<string, unknown>> {
    const params: RpcSessionExternalEventParams = {
      session_id: sessionId,
      kind: "generic_json",
      event_type: eventType,
      payload,
    };
    if (options?.blocks !== undefined) {
      params.blocks = options.blocks.map(toWireContentBlock);
    }
    return this.request("session/external_event", params);
  }

  async sendPeerResponseTerminal(
    sessionId: string,
    peerId: PeerId,
    requestId: PeerCorrelationId,
    status: "completed" | "failed" | "cancelled",
    result: unknown,
    options?: PeerResponseTerminalOptions,
  ): Promise<Record<string, unknown>> {
    const params: RpcSessionPeerResponseTerminalParams = {
      session_id: sessionId,
      peer_id: peerId,
      request_id: requestId,
      status,
      result,
    };
    if (options?.displayName !== undefined) {
      params.display_name = options.displayName;
    }
    return this.request("session/peer_response_terminal", params);
  }

  async injectContext(
    sessionId: string,
    text: string,
    options?: SessionIngressOptions,
  ): Promise<RpcInjectSystemContextResult> {
    const params: RpcInjectSystemContextParams = {
      session_id: sessionId,
      content: { type: "text", text },
    };
    if (options?.source !== undefined) {
      params.source = options.source;
    }
    if (options?.idempotencyKey !== undefined) {
      params.idempotency_key = options.idempotencyKey;
    }
    const result = await this.request("session/inject_context", params);
    const status = MeerkatClient.requireClosedStringField(
      result,
      "status",
      ["applied", "duplicate"],
      "Invalid session/inject_context response",
    ) as RpcInjectSystemContextResult["status"];
    return { status };
  }

  /**
   * Read an input's stored runtime state (terminal outcome, run
   * association) by canonical input id or by the caller-supplied
   * idempotency key. Returns `null` when no input matches — the durable
   * reconciliation query for interrupted work after a host restart.
   */
  async inputState(
    sessionId: string,
    selector: { inputId: string } | { idempotencyKey: string },
  ): Promise<Record<string, unknown> | null> {
    const params: RpcSessionInputStateParams = {
      session_id: sessionId,
      selector:
        "inputId" in selector
          ? { by: "input_id", value: selector.inputId }
          : { by: "idempotency_key", value: selector.idempotencyKey },
    };
    const result = await this.request("session/input_status", params);
    return (result.state as Record<string, unknown> | undefined) ?? null;
  }

  async readSessionHistory(
    sessionId: string,
    options?: { offset?: number; limit?: number },
  ): Promise<SessionHistory> {
    const params: RpcReadSessionHistoryParams = {
      session_id: sessionId,
      offset: options?.offset ?? 0,
    };
    if (options?.limit !== undefined) {
      params.limit = options.limit;
    }
    const raw = await this.request("session/history", params);
    return MeerkatClient.parseSessionHistory(raw);
  }

  /** Export the session's durable event log as an ATIF trajectory. */
  async exportSessionAtif(
    sessionId: string,
    options?: { agentName?: string; agentVersion?: string; modelName?: string },
  ): Promise<Record<string, unknown>> {
    const params: RpcExportAtifParams = { session_id: sessionId };
    if (options?.agentName !== undefined) {
      params.agent_name = options.agentName;
    }
    if (options?.agentVersion !== undefined) {
      params.agent_version = options.agentVersion;
    }
    if (options?.modelName !== undefined) {
      params.model_name = options.modelName;
    }
    const result = await this.request("session/export_atif", params);
    return MeerkatClient.requireRecord(
      result,
      "result",
      "Invalid session/export_atif response",
    );
  }

  async readSessionTranscriptRevision(
    sessionId: string,
    revision: string,
    options?: { offset?: number; limit?: number },
  ): Promise<SessionTranscriptRevision> {
    const params: RpcReadSessionTranscriptRevisionParams = {
      session_id: sessionId,
      revision,
      offset: options?.offset ?? 0,
    };
    if (options?.limit !== undefined) {
      params.limit = options.limit;
    }
    const raw = await this.request("session/transcript_revision", params);
    return MeerkatClient.parseSessionTranscriptRevision(raw);
  }

  async listSessionTranscriptRevisions(
    sessionId: string,
    options?: { offset?: number; limit?: number },
  ): Promise<SessionTranscriptRevisionList> {
    const params: RpcListSessionTranscriptRevisionsParams = {
      session_id: sessionId,
    };
    if (options?.offset !== undefined) {
      params.offset = options.offset;
    }
    if (options?.limit !== undefined) {
      params.limit = options.limit;
    }
    const raw = await this.request("session/transcript_revisions", params);
    return MeerkatClient.parseSessionTranscriptRevisionList(raw);
  }

  async forkSessionAt(
    sessionId: string,
    messageIndex: number,
    options?: TranscriptForkOptions,
  ): Promise<SessionForkResult> {
    const params: RpcForkSessionAtParams = {
      session_id: sessionId,
      message_index: messageIndex,
    };
    if (options?.runningBehavior !== undefined) {
      params.running_behavior = options.runningBehavior;
    }
    if (options?.toolAccessPolicy !== undefined) {
      params.tool_access_policy = options.toolAccessPolicy;
    }
    const raw = await this.request("session/fork_at", params);
    return MeerkatClient.parseSessionForkResult(raw);
  }

  async forkSessionReplace(
    sessionId: string,
    messageIndex: number,
    replacement: TranscriptReplacement,
    options?: TranscriptForkOptions,
  ): Promise<SessionForkResult> {
    const params: RpcForkSessionReplaceParams = {
      session_id: sessionId,
      message_index: messageIndex,
      replacement: MeerkatClient.serializeTranscriptReplacement(replacement),
    };
    if (options?.runningBehavior !== undefined) {
      params.running_behavior = options.runningBehavior;
    }
    if (options?.toolAccessPolicy !== undefined) {
      params.tool_access_policy = options.toolAccessPolicy;
    }
    const raw = await this.request("session/fork_replace", params);
    return MeerkatClient.parseSessionForkResult(raw);
  }

  async rewriteSessionTranscript(
    sessionId: string,
    selection: TranscriptRewriteSelection,
    replacement: readonly TranscriptRewriteInputMessage[],
    reason: TranscriptRewriteReason,
    options?: TranscriptRewriteOptions,
  ): Promise<SessionTranscriptRewriteResult> {
    const params: RpcRewriteSessionTranscriptParams = {
      session_id: sessionId,
      selection,
      replacement: replacement.map((message) =>
        MeerkatClient.serializeTranscriptRewriteMessage(message),
      ),
      reason,
    };
    if (options?.actor !== undefined) {
      params.actor = options.actor;
    }
    if (options?.expectedParentRevision !== undefined) {
      params.expected_parent_revision = options.expectedParentRevision;
    }
    if (options?.runningBehavior !== undefined) {
      params.running_behavior = options.runningBehavior;
    }
    const raw = await this.request("session/rewrite_transcript", params);
    return MeerkatClient.parseSessionTranscriptRewriteResult(raw);
  }

  async updateSystemPrompt(
    sessionId: string,
    key: string,
    content: string,
    options?: SystemPromptUpdateOptions,
  ): Promise<SystemPromptUpdateResult> {
    const params: RpcUpdateSystemPromptParams = {
      session_id: sessionId,
      key,
      content,
    };
    if (options?.expectedVersion !== undefined) {
      params.expected_version = options.expectedVersion;
    }
    if (options?.targetMessageIndex !== undefined) {
      params.target_message_index = options.targetMessageIndex;
    }
    if (options?.actor !== undefined) {
      params.actor = options.actor;
    }
    if (options?.expectedParentRevision !== undefined) {
      params.expected_parent_revision = options.expectedParentRevision;
    }
    const raw = await this.request(
      "session/update_system_prompt",
      params,
    );
    return MeerkatClient.parseSystemPromptUpdateResult(raw);
  }

  async restoreSessionTranscriptRevision(
    sessionId: string,
    revision: string,
    reason: TranscriptRewriteReason,
    options?: TranscriptRewriteOptions,
  ): Promise<SessionTranscriptRewriteResult> {
    const params: RpcRestoreSessionTranscriptRevisionParams = {
      session_id: sessionId,
      revision,
      reason,
    };
    if (options?.actor !== undefined) {
      params.actor = options.actor;
    }
    if (options?.expectedParentRevision !== undefined) {
      params.expected_parent_revision = options.expectedParentRevision;
    }
    if (options?.runningBehavior !== undefined) {
      params.running_behavior = options.runningBehavior;
    }
    const raw = await this.request("session/restore_transcript_revision", params);
    return MeerkatClient.parseSessionTranscriptRewriteResult(raw);
  }

  // -- Capabilities -------------------------------------------------------

  get capabilities(): readonly Capability[] {
    return this._capabilities;
  }

  hasCapability(capabilityId: string): boolean {
    if (capabilityId === "mob") {
      return (
        this._methods.has("mob/create")
        || this._methods.has("mob/list")
      );
    }
    return this._capabilities.some(
      (c) => c.id === capabilityId && c.status === "Available",
    );
  }

  requireCapability(capabilityId: string): void {
    if (!this.hasCapability(capabilityId)) {
      throw new CapabilityUnavailableError(
        "CAPABILITY_UNAVAILABLE",
        `Capability '${capabilityId}' is not available`,
      );
    }
  }

  // -- Config -------------------------------------------------------------

  async getConfig(): Promise<ConfigEnvelope> {
    // The wire body IS the generated `ConfigEnvelope` contract.
    return (await this.request("config/get", {})) as unknown as ConfigEnvelope;
  }

  async setConfig(
    config: Record<string, unknown>,
    options?: { expectedGeneration?: number },
  ): Promise<ConfigWriteResult> {
    const params: ConfigSetParams & Record<string, unknown> = { config };
    if (options?.expectedGeneration !== undefined) {
      params.expected_generation = options.expectedGeneration;
    }
    // The wire body IS the generated `ConfigWriteResult` contract (envelope
    // plus the live-propagation report).
    return (await this.request("config/set", params)) as unknown as ConfigWriteResult;
  }

  async patchConfig(
    patch: Record<string, unknown>,
    options?: { expectedGeneration?: number },
  ): Promise<ConfigWriteResult> {
    const params: ConfigPatchParams & Record<string, unknown> = { patch };
    if (options?.expectedGeneration !== undefined) {
      params.expected_generation = options.expectedGeneration;
    }
    return (await this.request("config/patch", params)) as unknown as ConfigWriteResult;
  }

  async mcpAdd(params: McpAddParams): Promise<McpLiveOpResponse> {
    const raw = await this.request("mcp/add", params);
    return MeerkatClient.parseMcpLiveOpResponse(raw);
  }

  async mcpRemove(params: McpRemoveParams): Promise<McpLiveOpResponse> {
    const raw = await this.request("mcp/remove", params);
    return MeerkatClient.parseMcpLiveOpResponse(raw);
  }

  async mcpReload(params: McpReloadParams): Promise<McpLiveOpResponse> {
    const raw = await this.request(
      "mcp/reload",
      params,
    );
    return MeerkatClient.parseMcpLiveOpResponse(raw);
  }

  // snake_case aliases for parity with other SDKs/surfaces
  async mcp_add(params: McpAddParams): Promise<McpLiveOpResponse> {
    return this.mcpAdd(params);
  }

  async mcp_remove(params: McpRemoveParams): Promise<McpLiveOpResponse> {
    return this.mcpRemove(params);
  }

  async mcp_reload(params: McpReloadParams): Promise<McpLiveOpResponse> {
    return this.mcpReload(params);
  }

  // -- Skills ---------------------------------------------------------------

  async listSkills(): Promise<SkillEntry[]> {
    const result = await this.request("skills/list", {});
    MeerkatClient.requireRecordArray(result.skills, "Invalid skills/list response");
    const envelope = result as unknown as SkillListResponse;
    return envelope.skills;
  }

  async getBlob(blobId: string): Promise<BlobPayload> {
    const result = await this.request("blob/get", { blob_id: blobId });
    const context = "Invalid blob/get response";
    return {
      blobId: MeerkatClient.requireStringField(result, "blob_id", context),
      mediaType: MeerkatClient.requireStringField(result, "media_type", context),
      dataBase64: MeerkatClient.requireStringField(result, "data", context),
    };
  }

  async getRuntimeHostInfo(): Promise<Record<string, unknown>> {
    return this.request("runtime/host_info", {});
  }

  async getRuntimeHostCapabilities(): Promise<Record<string, unknown>> {
    return this.request("runtime/capabilities", {});
  }

  async getRuntimeHostHealth(): Promise<Record<string, unknown>> {
    return this.request("runtime/health", {});
  }

  async jobsGet(params: JobsGetParams): Promise<JobsGetResult> {
    return this.request("jobs/get", { ...params }) as Promise<JobsGetResult>;
  }

  async jobsList(params: JobsListParams): Promise<JobsListResult> {
    return this.request("jobs/list", { ...params }) as Promise<JobsListResult>;
  }

  async jobsCancel(params: JobsCancelParams): Promise<JobsCancelResult> {
    return this.request("jobs/cancel", { ...params }) as Promise<JobsCancelResult>;
  }

  async jobsProgress(params: JobsProgressParams): Promise<JobsProgressResult> {
    return this.request("jobs/progress", { ...params }) as Promise<JobsProgressResult>;
  }

  async jobsResult(params: JobsResultParams): Promise<JobsResultResult> {
    return this.request("jobs/result", { ...params }) as Promise<JobsResultResult>;
  }

  async jobsArtifacts(params: JobsArtifactsParams): Promise<JobsArtifactsResult> {
    return this.request("jobs/artifacts", { ...params }) as Promise<JobsArtifactsResult>;
  }

  async jobsRetry(params: JobsRetryParams): Promise<JobsRetryResult> {
    return this.request("jobs/retry", { ...params }) as Promise<JobsRetryResult>;
  }

  async jobsHealth(): Promise<JobsHealthResult> {
    return this.request("jobs/health", {}) as Promise<JobsHealthResult>;
  }

  async jobsSubscribe(params: JobsSubscribeParams): Promise<JobsSubscribeResult> {
    return this.request("jobs/subscribe", { ...params }) as Promise<JobsSubscribeResult>;
  }

  async jobsUnsubscribe(params: JobsUnsubscribeParams): Promise<JobsUnsubscribeResult> {
    return this.request("jobs/unsubscribe", { ...params }) as Promise<JobsUnsubscribeResult>;
  }

  async monitorsStart(params: MonitorsStartParams): Promise<MonitorsStartResult> {
    return this.request("monitors/start", { ...params }) as Promise<MonitorsStartResult>;
  }

  async mobkitJobHeartbeat(
    params: MobkitJobHeartbeatParams,
  ): Promise<MobkitJobMutationResult> {
    return this.request("mobkit/jobs/heartbeat", { ...params }) as Promise<MobkitJobMutationResult>;
  }

  async mobkitJobProgress(
    params: MobkitJobProgressParams,
  ): Promise<MobkitJobMutationResult> {
    return this.request("mobkit/jobs/progress", { ...params }) as Promise<MobkitJobMutationResult>;
  }

  async mobkitJobCheckpoint(
    params: MobkitJobCheckpointParams,
  ): Promise<MobkitJobMutationResult> {
    return this.request("mobkit/jobs/checkpoint", { ...params }) as Promise<MobkitJobMutationResult>;
  }

  async mobkitJobComplete(
    params: MobkitJobCompleteParams,
  ): Promise<MobkitJobMutationResult> {
    return this.request("mobkit/jobs/complete", { ...params }) as Promise<MobkitJobMutationResult>;
  }

  async mobkitJobFail(
    params: MobkitJobFailParams,
  ): Promise<MobkitJobMutationResult> {
    return this.request("mobkit/jobs/fail", { ...params }) as Promise<MobkitJobMutationResult>;
  }

  async mobkitJobCancelAck(
    params: MobkitJobCancelAckParams,
  ): Promise<MobkitJobMutationResult> {
    return this.request("mobkit/jobs/cancel_ack", { ...params }) as Promise<MobkitJobMutationResult>;
  }

  async requestApproval(
    params: RpcApprovalRequestParams,
  ): Promise<RpcApprovalRecord> {
    return this.request("approval/request", params);
  }

  async listApprovals(
    params: RpcApprovalListParams = {},
  ): Promise<RpcApprovalListResult> {
    return this.request("approval/list", params);
  }

  async getApproval(
    params: RpcApprovalGetParams,
  ): Promise<RpcApprovalRecord> {
    return this.request("approval/get", params);
  }

  async decideApproval(
    params: RpcApprovalDecideParams,
  ): Promise<RpcApprovalRecord> {
    return this.request("approval/decide", params);
  }

  async listArtifacts(
    params: RpcArtifactListParams = {},
  ): Promise<RpcArtifactListResult> {
    return this.request("artifact/list", params);
  }

  async getArtifact(
    params: RpcArtifactIdParams,
  ): Promise<RpcArtifactRecord> {
    return this.request("artifact/get", params);
  }

  async downloadArtifact(
    params: RpcArtifactDownloadParams,
  ): Promise<RpcArtifactDownloadResult> {
    return this.request("artifact/download", params);
  }

  async latestEventCursor(
    params: RpcEventsLatestCursorParams,
  ): Promise<RpcEventsLatestCursorResult> {
    return this.request("events/latest_cursor", params);
  }

  async listEventsSince(
    params: RpcEventsListSinceParams,
  ): Promise<RpcEventsListSinceResult> {
    return this.request("events/list_since", params);
  }

  async eventSnapshot(
    params: RpcEventsSnapshotParams,
  ): Promise<RpcEventsSnapshotResult> {
    return this.request("events/snapshot", params);
  }

  async getModelsCatalog(): Promise<ModelsCatalog> {
    const result = await this.request("models/catalog", {});
    return MeerkatClient.parseModelsCatalog(result);
  }

  async createSchedule(request: CreateScheduleRequest): Promise<Schedule> {
    const result = await this.request("schedule/create", MeerkatClient.toWireCreateScheduleRequest(request));
    return MeerkatClient.parseSchedule(result);
  }

  async getSchedule(scheduleId: string): Promise<Schedule> {
    const result = await this.request("schedule/get", { schedule_id: scheduleId });
    return MeerkatClient.parseSchedule(result);
  }

  async listSchedules(_options?: ScheduleListOptions): Promise<Schedule[]> {
    const params: Record<string, unknown> = {};
    if (_options?.labels) params.labels = _options.labels;
    if (_options?.limit !== undefined) params.limit = _options.limit;
    if (_options?.offset !== undefined) params.offset = _options.offset;
    const result = await this.request("schedule/list", params);
    const data = MeerkatClient.requireRecord(
      result,
      "response",
      "Invalid schedule/list response",
    );
    const schedules = MeerkatClient.requireRecordArray(
      data.schedules,
      "Invalid schedule/list response: schedules",
    );
    return schedules.map((schedule) => MeerkatClient.parseSchedule(schedule));
  }

  async updateSchedule(request: UpdateScheduleRequest): Promise<Schedule> {
    const params = {
      schedule_id: request.scheduleId,
      ...MeerkatClient.toWireUpdateSchedulePatch(request.update),
    };
    const result = await this.request("schedule/update", params);
    return MeerkatClient.parseSchedule(result);
  }

  async pauseSchedule(scheduleId: string): Promise<Schedule> {
    const result = await this.request("schedule/pause", { schedule_id: scheduleId });
    return MeerkatClient.parseSchedule(result);
  }

  async resumeSchedule(scheduleId: string): Promise<Schedule> {
    const result = await this.request("schedule/resume", { schedule_id: scheduleId });
    return MeerkatClient.parseSchedule(result);
  }

  async deleteSchedule(scheduleId: string): Promise<Schedule> {
    const result = await this.request("schedule/delete", { schedule_id: scheduleId });
    return MeerkatClient.parseSchedule(result);
  }

  async listScheduleOccurrences(
    scheduleId: string,
    options?: ScheduleOccurrencesOptions,
  ): Promise<ScheduleOccurrencesResult> {
    const params: RpcScheduleOccurrencesParams = { schedule_id: scheduleId };
    if (options?.includeTerminal !== undefined) {
      params.include_terminal = options.includeTerminal;
    }
    const result = await this.request("schedule/occurrences", params);
    const data = MeerkatClient.requireRecord(
      result,
      "response",
      "Invalid schedule/occurrences response",
    );
    const occurrences = MeerkatClient.requireRecordArray(
      data.occurrences,
      "Invalid schedule/occurrences response: occurrences",
    ).map((occurrence) => MeerkatClient.parseScheduleOccurrence(occurrence));
    return { occurrences };
  }

  async listScheduleTools(): Promise<ScheduleToolsResult> {
    const result = await this.request("schedule/tools", {});
    const data = MeerkatClient.requireRecord(
      result,
      "response",
      "Invalid schedule/tools response",
    );
    const tools = MeerkatClient.requireRecordArray(
      data.tools,
      "Invalid schedule/tools response: tools",
    );
    return { tools };
  }

  async callScheduleTool(request: ScheduleToolCallRequest): Promise<Record<string, unknown>> {
    const result = await this.request("schedule/call", {
      name: request.name,
      arguments: request.arguments ?? {},
    });
    return MeerkatClient.requireRecord(
      result,
      "result",
      "Invalid schedule/call response",
    );
  }

  async getWorkGraphItem(
    itemId: string,
    options?: WorkGraphItemLookupOptions,
  ): Promise<WorkItem> {
    const params: WorkGraphIdParams = { id: itemId };
    if (options?.realmId !== undefined) {
      params.realm_id = options.realmId;
    }
    if (options?.namespace !== undefined) {
      params.namespace = options.namespace;
    }
    const result = await this.request("workgraph/get", params);
    return parseWorkItem(result);
  }

  async listWorkGraphItems(filter: WorkItemFilter = {}): Promise<WorkItemsResult> {
    const result = await this.request("workgraph/list", filter);
    const items: WorkItemsResult["items"] = MeerkatClient.requireRecordArray(
      result.items,
      "Invalid workgraph item list",
    ).map((entry) => parseWorkItem(entry));
    return { items };
  }

  async listReadyWorkGraphItems(filter: ReadyWorkFilter = {}): Promise<WorkItemsResult> {
    const result = await this.request("workgraph/ready", filter);
    const items: WorkItemsResult["items"] = MeerkatClient.requireRecordArray(
      result.items,
      "Invalid workgraph item list",
    ).map((entry) => parseWorkItem(entry));
    return { items };
  }

  async getWorkGraphSnapshot(
    filter: WorkGraphSnapshotFilter = {},
  ): Promise<WorkGraphSnapshot> {
    const result = await this.request("workgraph/snapshot", filter);
    return parseWorkGraphSnapshot(result);
  }

  async listWorkGraphEvents(filter: WorkGraphEventFilter = {}): Promise<WorkEventsResult> {
    const result = await this.request("workgraph/events", filter);
    const events: WorkEventsResult["events"] = MeerkatClient.requireRecordArray(
      result.events,
      "Invalid workgraph event list",
    ).map((entry) => parseWorkGraphEvent(entry));
    return { events };
  }

  async getWorkGraphGoalStatus(params: GoalStatusRequest): Promise<GoalStatusResult> {
    const result = await this.request("workgraph/goal/status", params);
    return parseGoalStatusResult(result);
  }

  async listWorkGraphAttention(
    params: AttentionListRequest = {},
  ): Promise<AttentionListResult> {
    const result = await this.request("workgraph/attention/list", params);
    return parseAttentionListResult(result);
  }

  async subscribeSessionEvents(sessionId: string): Promise<EventSubscription<AgentEventEnvelope>> {
    return this.openEventSubscription(
      "session/stream_open",
      { session_id: sessionId },
      "session/stream_close",
      MeerkatClient.parseAgentEventEnvelope,
    );
  }

  async createMob(options: MobCreateOptions): Promise<Mob> {
    this.requireCapability("mob");
    const result = await this.request("mob/create", {
      definition: toWireMobDefinition(options.definition),
    });
    return new Mob(
      this,
      MeerkatClient.requireStringField(
        result,
        "mob_id",
        "Invalid mob/create response",
      ),
    );
  }

  mob(mobId: string): Mob {
    return new Mob(this, mobId);
  }

  async listMobs(): Promise<MobSummary[]> {
    this.requireCapability("mob");
    const result = await this.request("mob/list", {});
    const mobs = MeerkatClient.requireRecordArray(result.mobs, "Invalid mob/list response");
    const context = "Invalid mob/list response entry";
    return mobs.map((mob) => ({
      mobId: MeerkatClient.requireStringField(mob, "mob_id", context),
      status: MeerkatClient.requireStringField(
        mob,
        "status",
        context,
      ),
    }));
  }

  async mobStatus(mobId: string): Promise<{ mobId: string; status: string }> {
    const result = await this.request("mob/status", { mob_id: mobId });
    const context = "Invalid mob/status response";
    const record = MeerkatClient.requireRecord(result, "result", context);
    const status = MeerkatClient.requireStringField(record, "status", context);
    const responseMobId = MeerkatClient.requireStringField(record, "mob_id", context);
    return { mobId: responseMobId, status };
  }

  async listMobMembers(mobId: string): Promise<MobMember[]> {
    const result = await this.request("mob/members", { mob_id: mobId });
    const members = MeerkatClient.requireRecordArray(
      result.members,
      "Invalid mob/members response",
    );
    return members.map((member) => {
      const agentIdentity = String(member.agent_identity ?? "");
      const memberRef =
        typeof member.member_ref === "string" && member.member_ref.length > 0
          ? member.member_ref
          : undefined;
      if (!agentIdentity || !memberRef) {
        throw new MeerkatError(
          "INVALID_RESPONSE",
          "Invalid mob/members response: missing identity-native member fields",
        );
      }
      return {
        agentIdentity,
        memberRef,
        profile: MeerkatClient.requireStringField(
          member,
          "role",
          "Invalid mob/members response: missing role",
        ),
        peerId: member.peer_id != null ? String(member.peer_id) : undefined,
        externalPeerSpecs:
          member.external_peer_specs && typeof member.external_peer_specs === "object"
            ? Object.fromEntries(
                Object.entries(member.external_peer_specs as Record<string, unknown>).map(
                  ([key, value]) => [key, (value ?? {}) as Record<string, unknown>],
                ),
              )
            : undefined,
        runtimeMode: member.runtime_mode != null ? String(member.runtime_mode) : undefined,
        wiredTo: Array.isArray(member.wired_to)
          ? member.wired_to.map((peer) => String(peer))
          : undefined,
        labels: member.labels && typeof member.labels === "object"
          ? Object.fromEntries(
              Object.entries(member.labels as Record<string, unknown>).map(([key, value]) => [key, String(value)]),
            )
          : undefined,
        status:
          member.status != null
            ? MeerkatClient.parseWireMobMemberStatus(
                member.status,
                "Invalid mob/members response: invalid member status",
              )
            : undefined,
        error: member.error != null ? String(member.error) : undefined,
        isFinal: member.is_final != null ? Boolean(member.is_final) : undefined,
      };
    });
  }

  async sendMobMemberContent(
    mobId: string,
    agentIdentity: string,
    content: string | ContentBlock[],
    options?: MemberSendOptions,
  ): Promise<MemberDeliveryReceipt> {
    const result = await this.request("mob/member_send", {
      mob_id: mobId,
      agent_identity: agentIdentity,
      content: toWireContentInput(content),
      handling_mode: options?.handlingMode,
      render_metadata: options?.renderMetadata,
    });
    const memberRef =
      typeof result.member_ref === "string" && result.member_ref.length > 0
        ? result.member_ref
        : undefined;
    if (!memberRef) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        "Invalid mob/member_send response: missing member_ref",
      );
    }
    const resolvedMobId = MeerkatClient.parseRequiredString(
      result.mob_id,
      "Invalid mob/member_send response: missing mob_id",
    );
    if (resolvedMobId !== mobId) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        "Invalid mob/member_send response: mob_id mismatch",
      );
    }
    return {
      mobId: resolvedMobId,
      agentIdentity: MeerkatClient.parseRequiredString(
        result.agent_identity,
        "Invalid mob/member_send response: missing agent_identity",
      ),
      memberRef,
      handlingMode: MeerkatClient.parseWireHandlingMode(
        result.handling_mode,
        "Invalid mob/member_send response: missing or unknown handling_mode",
      ),
    };
  }

  async spawnMobMember(
    mobId: string,
    options: SpawnSpec,
  ): Promise<MobSpawnResult> {
    const result = await this.request("mob/spawn", mobSpawnPayload(mobId, options));
    const memberRef =
      typeof result.member_ref === "string" && result.member_ref.length > 0
        ? result.member_ref
        : undefined;
    if (!memberRef) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        "Invalid mob/spawn response: missing member_ref",
      );
    }
    return {
      mobId: MeerkatClient.parseRequiredString(
        result.mob_id,
        "Invalid mob/spawn response: missing mob_id",
      ),
      agentIdentity: MeerkatClient.parseRequiredString(
        result.agent_identity,
        "Invalid mob/spawn response: missing agent_identity",
      ),
      memberRef,
    };
  }

  async spawnMobMembers(
    mobId: string,
    specs: SpawnManySpec[],
  ): Promise<MobSpawnManyResultEntry[]> {
    const params: MobSpawnManyParams = {
      mob_id: mobId,
      specs: specs.map(mobSpawnManySpecPayload),
    };
    const result = await this.request(
      "mob/spawn_many",
      params,
    );
    if (!Array.isArray(result.results)) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        "Invalid mob/spawn_many response: results must be a list",
      );
    }
    const entries = result.results as unknown[];
    return entries.map((entry) => {
      if (!entry || typeof entry !== "object" || Array.isArray(entry)) {
        throw new MeerkatError(
          "INVALID_RESPONSE",
          "Invalid mob/spawn_many response: malformed result entry",
        );
      }
      const record = entry as Record<string, unknown>;
      const entryKeys = Object.keys(record);
      if (
        entryKeys.some((key) => key !== "status" && key !== "result") ||
        "ok" in record ||
        "error" in record ||
        "agent_identity" in record ||
        "member_ref" in record
      ) {
        throw new MeerkatError(
          "INVALID_RESPONSE",
          "Invalid mob/spawn_many response: legacy result carrier fields are not allowed",
        );
      }
      const status = record.status;
      const rawResult = record.result;
      if (status !== "spawned" && status !== "failed") {
        throw new MeerkatError(
          "INVALID_RESPONSE",
          "Invalid mob/spawn_many response: invalid result status",
        );
      }
      if (!rawResult || typeof rawResult !== "object" || Array.isArray(rawResult)) {
        throw new MeerkatError(
          "INVALID_RESPONSE",
          "Invalid mob/spawn_many response: missing result payload",
        );
      }
      const resultRecord = rawResult as Record<string, unknown>;
      if (status === "spawned") {
        if (Object.keys(resultRecord).some((key) => key !== "agent_identity" && key !== "member_ref")) {
          throw new MeerkatError(
            "INVALID_RESPONSE",
            "Invalid mob/spawn_many response: spawned result has unknown fields",
          );
        }
        const agentIdentity = resultRecord.agent_identity;
        const memberRef = resultRecord.member_ref;
        if (typeof agentIdentity !== "string" || agentIdentity.length === 0) {
          throw new MeerkatError(
            "INVALID_RESPONSE",
            "Invalid mob/spawn_many response: spawned result missing agent_identity",
          );
        }
        if (typeof memberRef !== "string" || memberRef.length === 0) {
          throw new MeerkatError(
            "INVALID_RESPONSE",
            "Invalid mob/spawn_many response: spawned result missing member_ref",
          );
        }
        return {
          status,
          result: {
            agent_identity: agentIdentity,
            member_ref: memberRef,
          },
        };
      }
      if (
        Object.keys(resultRecord).some(
          (key) => key !== "cause" && key !== "message" && key !== "structured_data",
        )
      ) {
        throw new MeerkatError(
          "INVALID_RESPONSE",
          "Invalid mob/spawn_many response: failed result has unknown fields",
        );
      }
      const cause = resultRecord.cause;
      if (!isMobSpawnManyFailureCause(cause)) {
        throw new MeerkatError(
          "INVALID_RESPONSE",
          "Invalid mob/spawn_many response: failed result has invalid cause",
        );
      }
      const message = resultRecord.message;
      if (typeof message !== "string" || message.length === 0) {
        throw new MeerkatError(
          "INVALID_RESPONSE",
          "Invalid mob/spawn_many response: failed result missing message",
        );
      }
      return {
        status,
        result: {
          cause,
          message,
          structured_data: resultRecord.structured_data,
        },
      };
    });
  }

  async retireMobMember(mobId: string, agentIdentity: string): Promise<void> {
    await this.request("mob/retire", {
      mob_id: mobId,
      agent_identity: agentIdentity,
    });
  }

  /**
   * Record (full-replace) a principal's control-scope grant
   * (`mob/grant_scopes`).
   */
  async grantMobScopes(
    mobId: string,
    principal: string,
    scopes: MobControlScope[],
    expiresAtMs?: number,
  ): Promise<MobGrantRecord> {
    const result = await this.request("mob/grant_scopes", {
      mob_id: mobId,
      principal,
      scopes,
      ...(expiresAtMs !== undefined ? { expires_at_ms: expiresAtMs } : {}),
    });
    const context = "Invalid mob/grant_scopes response";
    const record = MeerkatClient.requireRecord(result.record, "record", context);
    return MeerkatClient.decodeMobGrantRecord(record, context);
  }

  /**
   * Revoke scopes from a principal's grant (`mob/revoke_scopes`); omit
   * `scopes` to revoke the entire grant. Returns whether the grant record
   * was removed entirely — revoking never-granted scopes is an idempotent
   * no-op (`false`).
   */
  async revokeMobScopes(
    mobId: string,
    principal: string,
    scopes?: MobControlScope[],
  ): Promise<boolean> {
    const result = await this.request("mob/revoke_scopes", {
      mob_id: mobId,
      principal,
      ...(scopes !== undefined ? { scopes } : {}),
    });
    if (typeof result.removed !== "boolean") {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        "Invalid mob/revoke_scopes response: missing removed",
      );
    }
    return result.removed;
  }

  /**
   * List raw control-scope grant records (`mob/grants`). Expired rows
   * preserve the generated `expires_at_ms` wire field verbatim.
   */
  async listMobGrants(mobId: string): Promise<MobGrantRecord[]> {
    const result = await this.request("mob/grants", { mob_id: mobId });
    const context = "Invalid mob/grants response";
    const grants = result.grants;
    if (!Array.isArray(grants)) {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: missing grants`);
    }
    return grants.map((entry) =>
      MeerkatClient.decodeMobGrantRecord(
        MeerkatClient.requireObject(entry, context),
        context,
      ),
    );
  }

  private static requireObject(
    value: unknown,
    context: string,
  ): Record<string, unknown> {
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: expected an object entry`,
      );
    }
    return value as Record<string, unknown>;
  }

  private static decodeMobGrantRecord(
    record: Record<string, unknown>,
    context: string,
  ): MobGrantRecord {
    const principal = MeerkatClient.requireStringField(
      record,
      "principal",
      context,
    );
    const scopes = record.scopes;
    if (
      !Array.isArray(scopes) ||
      scopes.some(
        (scope) =>
          typeof scope !== "string" ||
          !MOB_CONTROL_SCOPES.has(scope as MobControlScope),
      )
    ) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: record scopes must use the closed control-scope vocabulary`,
      );
    }
    let expiresAtMs: number | undefined;
    if (Object.prototype.hasOwnProperty.call(record, "expires_at_ms")) {
      expiresAtMs = MeerkatClient.requireNonNegativeIntegerField(
        record,
        "expires_at_ms",
        context,
      );
    }
    return {
      principal,
      scopes: scopes as MobControlScope[],
      ...(expiresAtMs !== undefined ? { expires_at_ms: expiresAtMs } : {}),
    };
  }

  // ─── Multi-host console verbs (phase 7, DEC-P7A-9) ────────────────────

  /** Read one member's durable tool declaration and fresh convergence. */
  async mobMemberToolDeclaration(
    mobId: string,
    agentIdentity: string,
  ): Promise<MobMemberToolDeclarationResult> {
    return this.request("mob/member_tool_declaration", {
      mob_id: mobId,
      agent_identity: agentIdentity,
    });
  }

  /** Apply one revision-fenced durable member-tool declaration. */
  async applyMobMemberToolDeclaration(
    mobId: string,
    agentIdentity: string,
    requestId: string,
    expectedIntentRevision: number,
    declaration: WireMemberToolDeclaration,
    convergence: WireIdentityConvergenceMode,
  ): Promise<MobApplyMemberToolDeclarationResult> {
    return this.request("mob/apply_member_tool_declaration", {
      mob_id: mobId,
      agent_identity: agentIdentity,
      request_id: requestId,
      expected_intent_revision: expectedIntentRevision,
      declaration,
      convergence,
    });
  }

  /** Adopt one already-realized member under an explicit expected-absent declaration. */
  async adoptMobMemberIdentityDeclaration(
    params: MobAdoptMemberIdentityDeclarationParams,
  ): Promise<MobAdoptMemberIdentityDeclarationResult> {
    return this.request("mob/adopt_member_identity_declaration", params);
  }

  /** Continue blocked identity convergence under exact revision fences. */
  async resolveMobIdentityConvergenceBlock(
    mobId: string,
    agentIdentity: string,
    requestId: string,
    expectedDesiredRevision: number,
    observedActiveRevision: number,
    convergence: WireIdentityConvergenceMode,
  ): Promise<MobResolveIdentityConvergenceBlockResult> {
    return this.request("mob/resolve_identity_convergence_block", {
      mob_id: mobId,
      agent_identity: agentIdentity,
      request_id: requestId,
      expected_desired_revision: expectedDesiredRevision,
      observed_active_revision: observedActiveRevision,
      convergence,
    });
  }

  /**
   * Read a mob member transcript page by identity (`mob/member_history`).
   * One shape local and remote; the envelope carries typed placement +
   * provenance facts.
   */
  async mobMemberHistory(
    mobId: string,
    agentIdentity: string,
    opts?: { fromIndex?: number; limit?: number },
  ): Promise<RpcMobMemberHistoryResult> {
    const result = await this.request("mob/member_history", {
      mob_id: mobId,
      agent_identity: agentIdentity,
      ...(opts?.fromIndex !== undefined ? { from_index: opts.fromIndex } : {}),
      ...(opts?.limit !== undefined ? { limit: opts.limit } : {}),
    });
    const context = "Invalid mob/member_history response";
    const page = MeerkatClient.requireRecord(result.page, "page", context);
    const messages = MeerkatClient.requireRecordArray(
      page.messages,
      `${context}: page.messages`,
    );
    messages.forEach((message, index) =>
      MeerkatClient.validateWireHistoryRow(
        message,
        `${context}: page.messages[${index}]`,
      ),
    );
    MeerkatClient.requireBooleanField(page, "complete", `${context}: page`);
    const fromIndex = MeerkatClient.requireNonNegativeIntegerField(
      page,
      "from_index",
      `${context}: page`,
    );
    const messageCount = MeerkatClient.requireNonNegativeIntegerField(
      page,
      "message_count",
      `${context}: page`,
    );
    const hasNextIndex = Object.prototype.hasOwnProperty.call(page, "next_index");
    if (hasNextIndex) {
      MeerkatClient.requireNonNegativeIntegerField(
        page,
        "next_index",
        `${context}: page`,
      );
    }
    const pageEnd = fromIndex + messages.length;
    if (pageEnd > messageCount) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: page ends beyond message_count`,
      );
    }
    const complete = page.complete as boolean;
    if (complete !== (pageEnd === messageCount)) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: complete must match whether the page reaches message_count`,
      );
    }
    if (complete && hasNextIndex) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: complete page must not carry next_index`,
      );
    }
    if (!complete) {
      if (messages.length === 0) {
        throw new MeerkatError(
          "INVALID_RESPONSE",
          `${context}: incomplete page must make progress`,
        );
      }
      if (!hasNextIndex || page.next_index !== pageEnd) {
        throw new MeerkatError(
          "INVALID_RESPONSE",
          `${context}: incomplete page next_index must equal served end`,
        );
      }
    }
    MeerkatClient.requireNonNegativeIntegerField(result, "generation", context);
    const provenance = MeerkatClient.requireStringField(result, "provenance", context);
    if (provenance !== "host_claimed" && provenance !== "controlling_host_verified") {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: unsupported provenance ${JSON.stringify(provenance)}`,
      );
    }
    const placement = MeerkatClient.optionalStringField(result, "placement", context);
    if (placement === "") {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: placement must be non-empty`,
      );
    }
    return result as unknown as RpcMobMemberHistoryResult;
  }

  /** List tracked member hosts with bind phase and declared capabilities. */
  async mobHosts(mobId: string): Promise<RpcMobHostStatus[]> {
    const result = await this.request("mob/hosts", { mob_id: mobId });
    const hosts = result.hosts;
    if (!Array.isArray(hosts)) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        "Invalid mob/hosts response: missing hosts",
      );
    }
    return hosts.map((row, index) =>
      MeerkatClient.parseMobHostStatus(
        row,
        `Invalid mob/hosts response: hosts[${index}]`,
      ),
    );
  }

  /** Outstanding cross-host route-install obligations. */
  async mobRouteInstalls(mobId: string): Promise<RpcMobRouteInstallsResult> {
    const result = await this.request("mob/route_installs", { mob_id: mobId });
    const context = "Invalid mob/route_installs response";
    const outstanding = MeerkatClient.requireRecordArray(
      result.outstanding,
      `${context}: outstanding`,
    );
    outstanding.forEach((row, index) =>
      MeerkatClient.parseRouteInstallObligation(
        row,
        `${context}: outstanding[${index}]`,
      ),
    );
    MeerkatClient.requireBooleanField(result, "complete", context);
    return result as unknown as RpcMobRouteInstallsResult;
  }

  /** Bind a member-host daemon from its binding descriptor. */
  async bindMobHost(
    mobId: string,
    descriptor: RpcWireHostBindingDescriptor,
  ): Promise<RpcMobBindHostResult> {
    const result = await this.request("mob/bind_host", {
      mob_id: mobId,
      descriptor,
    });
    const context = "Invalid mob/bind_host response";
    MeerkatClient.requireStringField(result, "host_id", context);
    MeerkatClient.requireNonNegativeIntegerField(result, "authority_epoch", context);
    const capabilities = MeerkatClient.parseMobHostCapabilities(
      result.capabilities,
      `${context}: capabilities`,
    );
    return { ...result, capabilities } as unknown as RpcMobBindHostResult;
  }

  /** Revoke a bound (or bind-requested) member host. */
  async revokeMobHost(
    mobId: string,
    hostId: string,
  ): Promise<RpcMobRevokeHostResult> {
    const result = await this.request("mob/revoke_host", {
      mob_id: mobId,
      host_id: hostId,
    });
    const context = "Invalid mob/revoke_host response";
    MeerkatClient.requireStringField(result, "host_id", context);
    MeerkatClient.requireStringArray(result.released_members, `${context}: released_members`);
    return result as unknown as RpcMobRevokeHostResult;
  }

  /** Hard-cancel a mob member; `reason` is required. */
  async hardCancelMobMember(
    mobId: string,
    agentIdentity: string,
    reason: string,
  ): Promise<boolean> {
    const result = await this.request("mob/hard_cancel_member", {
      mob_id: mobId,
      agent_identity: agentIdentity,
      reason,
    });
    if (typeof result.cancelled !== "boolean") {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        "Invalid mob/hard_cancel_member response: missing cancelled",
      );
    }
    return result.cancelled;
  }

  /** Open a live realtime channel on a mob member. */
  async openMobMemberLive(
    mobId: string,
    agentIdentity: string,
    opts?: MobMemberLiveOpenOptions,
  ): Promise<RpcLiveOpenResult> {
    const result = await this.request("mob/member_live_open", {
      mob_id: mobId,
      agent_identity: agentIdentity,
      ...(opts?.turningMode !== undefined ? { turning_mode: opts.turningMode } : {}),
      ...(opts?.transport !== undefined ? { transport: opts.transport } : {}),
    });
    return MeerkatClient.parseLiveOpenResult(
      result,
      "Invalid mob/member_live_open response",
    );
  }

  /** Close one named live channel on a mob member. */
  async closeMobMemberLive(
    mobId: string,
    agentIdentity: string,
    channelId: string,
  ): Promise<RpcLiveCloseResult> {
    const result = await this.request("mob/member_live_close", {
      mob_id: mobId,
      agent_identity: agentIdentity,
      channel_id: channelId,
    });
    return MeerkatClient.parseLiveCloseResult(result);
  }

  /** Read live channel status for a mob member. */
  async mobMemberLiveStatus(
    mobId: string,
    agentIdentity: string,
    channelId?: string,
  ): Promise<RpcLiveStatusResult> {
    const result = await this.request("mob/member_live_status", {
      mob_id: mobId,
      agent_identity: agentIdentity,
      ...(channelId !== undefined ? { channel_id: channelId } : {}),
    });
    return MeerkatClient.parseLiveStatusResult(
      result,
      "Invalid mob/member_live_status response",
    );
  }

  /** Drive one turn-level live control verb on a member channel. */
  async controlMobMemberLive(
    mobId: string,
    agentIdentity: string,
    channelId: string,
    verb: RpcBridgeLiveControlVerb,
  ): Promise<RpcBridgeLiveControlOutcome> {
    const result = await this.request("mob/member_live_control", {
      mob_id: mobId,
      agent_identity: agentIdentity,
      channel_id: channelId,
      verb,
    });
    const context = "Invalid mob/member_live_control response";
    const resultVerb = MeerkatClient.requireStringField(result, "verb", context);
    const status = MeerkatClient.requireStringField(result, "status", context);
    const expectedStatus: Record<string, string> = {
      commit_input: "committed",
      interrupt: "interrupted",
      truncate: "truncated",
      refresh: "queued",
    };
    if (expectedStatus[resultVerb] !== status || resultVerb !== verb.verb) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: mismatched verb/status outcome`,
      );
    }
    return result as unknown as RpcBridgeLiveControlOutcome;
  }

  async respawnMobMember(
    mobId: string,
    agentIdentity: string,
    initialMessage?: string | ContentBlock[],
  ): Promise<{
    status: "completed" | "topology_restore_failed";
    receipt: {
      agentIdentity: string;
      memberRef: MobMemberRef;
    };
    failedPeerIds?: string[];
  }> {
    const result = await this.request("mob/respawn", {
      mob_id: mobId,
      agent_identity: agentIdentity,
      initial_message:
        initialMessage === undefined ? undefined : toWireContentInput(initialMessage),
    });
    const respawnContext = "Invalid mob/respawn response";
    const respawnRecord = MeerkatClient.requireRecord(result, "result", respawnContext);
    const status = MeerkatClient.requireStringField(
      respawnRecord,
      "status",
      respawnContext,
    );
    if (status !== "completed" && status !== "topology_restore_failed") {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        "Invalid mob/respawn response: invalid status",
      );
    }
    const rawFailed = Array.isArray(result.failed_peer_ids)
      ? result.failed_peer_ids
      : [];
    const receipt = result.receipt as Record<string, unknown> | undefined;
    if (!receipt || typeof receipt !== "object") {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        "Invalid mob/respawn response: missing receipt",
      );
    }
    const memberRef =
      typeof receipt.member_ref === "string" && receipt.member_ref.length > 0
        ? receipt.member_ref
        : undefined;
    if (!memberRef) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        "Invalid mob/respawn response: receipt missing member_ref",
      );
    }
    return {
      status,
      receipt: {
        agentIdentity:
          receipt.identity != null ? String(receipt.identity) : agentIdentity,
        memberRef,
      },
      failedPeerIds: rawFailed.map((peerId) => String(peerId)),
    };
  }

  async forceCancelMobMember(mobId: string, agentIdentity: string): Promise<void> {
    await this.request("mob/force_cancel", {
      mob_id: mobId,
      agent_identity: agentIdentity,
    });
  }

  async mobTurnStart(
    mobId: string,
    agentIdentity: string,
    prompt: ContentInput,
    options?: MobTurnStartOptions,
  ): Promise<Record<string, unknown>> {
    return await this.request("mob/turn_start", mobTurnStartPayload(
      mobId,
      agentIdentity,
      prompt,
      options,
    ));
  }

  async mobMemberStatus(
    mobId: string,
    agentIdentity: string,
  ): Promise<MobMemberSnapshot> {
    const params: MobMemberParams = {
      mob_id: mobId,
      agent_identity: agentIdentity,
    };
    const result = await this.request("mob/member_status", params);
    const snapshot: MobMemberSnapshot = {
      status: MeerkatClient.parseWireMobMemberStatus(
        result.status,
        "Invalid mob/member_status response: missing or invalid status",
      ),
      // The opaque member handle is runtime-owned: read it from the payload
      // rather than synthesizing it client-side from {mobId, agentIdentity}.
      memberRef: MeerkatClient.requireStringField(
        result,
        "member_ref",
        "Invalid mob/member_status response",
      ),
      outputPreview: result.output_preview != null ? String(result.output_preview) : undefined,
      error: result.error != null ? String(result.error) : undefined,
      tokensUsed: MeerkatClient.requireNonNegativeIntegerField(
        result,
        "tokens_used",
        "Invalid mob/member_status response",
      ),
      isFinal: MeerkatClient.requireBooleanField(
        result,
        "is_final",
        "Invalid mob/member_status response",
      ),
      peerConnectivity: MeerkatClient.parseMobPeerConnectivity(
        result.peer_connectivity,
        "Invalid mob/member_status response",
      ),
      resolvedCapabilities: MeerkatClient.parseResolvedModelCapabilities(
        result.resolved_capabilities,
      ),
      currentSessionId:
        typeof result.current_session_id === "string" && result.current_session_id.length > 0
          ? result.current_session_id
          : undefined,
    };
    if (result.kickoff !== undefined && result.kickoff !== null) {
      snapshot.kickoff = MeerkatClient.requireRecord(
        result.kickoff,
        "kickoff",
        "Invalid mob/member_status response",
      );
    }
    if (Object.prototype.hasOwnProperty.call(result, "external_member")) {
      snapshot.externalMember = result.external_member;
    }
    if (result.progress !== undefined && result.progress !== null) {
      snapshot.progress = MeerkatClient.parseMemberProgressSnapshot(
        result.progress,
        "Invalid mob/member_status response",
      );
    }
    snapshot.placement = MeerkatClient.optionalStringField(
      result,
      "placement",
      "Invalid mob/member_status response",
    );
    snapshot.controlReachability = MeerkatClient.parseWireReachability(
      result.control_reachability,
      "control_reachability",
    );
    snapshot.commsReachability = MeerkatClient.parseWireReachability(
      result.comms_reachability,
      "comms_reachability",
    );
    if (result.last_seen_ms != null) {
      snapshot.lastSeenMs = MeerkatClient.requireNonNegativeIntegerField(
        result,
        "last_seen_ms",
        "Invalid mob/member_status response",
      );
    }
    snapshot.freshnessReason = MeerkatClient.optionalStringField(
      result,
      "freshness_reason",
      "Invalid mob/member_status response",
    );
    snapshot.lifecycleCapabilities = MeerkatClient.parseMemberLifecycleCapabilities(
      result.lifecycle_capabilities,
    );
    snapshot.nonPortableDisabled = MeerkatClient.parseNonPortableDisabled(
      result.non_portable_disabled,
    );
    return snapshot;
  }

  /**
   * Point-in-time aggregate of a mob's status plus its member list.
   * Wraps the `mob/snapshot` RPC (DELETE_ME C2).
   */
  async mobSnapshot(mobId: string): Promise<{
    mobId: string;
    status: string;
    members: unknown[];
  }> {
    const result = await this.request("mob/snapshot", { mob_id: mobId });
    const snapshotRecord = MeerkatClient.requireRecord(
      result,
      "result",
      "Invalid mob/snapshot response",
    );
    if (!Array.isArray(result.members)) {
      throw new Error("Invalid mob/snapshot response: missing members");
    }
    return {
      mobId: MeerkatClient.requireStringField(
        result,
        "mob_id",
        "Invalid mob/snapshot response: missing mob_id",
      ),
      status: MeerkatClient.requireStringField(
        snapshotRecord,
        "status",
        "Invalid mob/snapshot response: missing status",
      ),
      members: result.members,
    };
  }

  /**
   * Destroy a mob and surface the structured `MobDestroyReport`.
   * Wraps the `mob/destroy` RPC (DELETE_ME C3). Unlike `mob/lifecycle`
   * with `action: "destroy"`, this dedicated endpoint has a predictable
   * response shape that does not require branching on an action string.
   */
  async mobDestroy(mobId: string): Promise<{
    mobId: string;
    ok: boolean;
    destroyReport: Record<string, unknown>;
  }> {
    const result = await this.request("mob/destroy", { mob_id: mobId });
    if (
      typeof result.ok !== "boolean" ||
      !result.destroy_report ||
      typeof result.destroy_report !== "object"
    ) {
      throw new Error(
        "Invalid mob/destroy response: missing ok or destroy_report",
      );
    }
    return {
      mobId: MeerkatClient.requireStringField(
        result,
        "mob_id",
        "Invalid mob/destroy response: missing mob_id",
      ),
      ok: result.ok,
      destroyReport: result.destroy_report as Record<string, unknown>,
    };
  }

  /**
   * Rotate the supervisor bridge for all members of a mob.
   * Wraps the `mob/rotate_supervisor` RPC (DELETE_ME C10). Returns the
   * full `SupervisorRotationReport` so operators can inspect per-member
   * rotation outcomes instead of getting a bare `ok: true`.
   */
  async mobRotateSupervisor(mobId: string): Promise<MobRotateSupervisorResult> {
    const result = await this.request("mob/rotate_supervisor", { mob_id: mobId });
    return result as unknown as MobRotateSupervisorResult;
  }

  /**
   * Submit a unit of work to a mob member through the work lane.
   * Wraps the `mob/submit_work` RPC (DELETE_ME C4). Work lane was
   * Rust-only prior to this; `origin` is `"external"` for
   * user-originated turns and `"internal"` for mob-orchestration work.
   * When `workRef` is omitted the server generates a fresh UUID.
   * `injectedContext` carries host-attached ambient context delivered as
   * separate typed transcript messages immediately before the work content
   * (queue-mode turn-driven delivery only; steer and autonomous-inbox
   * dispatch reject it fail-closed).
   */
  async mobSubmitWork(args: {
    memberRef: string;
    content: ContentInput;
    workRef?: string;
    origin?: "external" | "internal";
    injectedContext?: ContentInput[];
    transientTurnContext?: string;
    objectiveId?: string;
  }): Promise<{ mobId: string; workRef: string; memberRef: string; objectiveId?: string }> {
    const params: RpcMobSubmitWorkParams = {
      member_ref: args.memberRef,
      content: toWireContentInput(args.content),
      origin: args.origin ?? "external",
    };
    if (args.workRef !== undefined) {
      params.work_ref = args.workRef;
    }
    if (args.injectedContext !== undefined && args.injectedContext.length > 0) {
      params.injected_context = args.injectedContext.map(toWireContentInput);
    }
    if (args.transientTurnContext !== undefined) {
      params.transient_turn_context = args.transientTurnContext;
    }
    if (args.objectiveId !== undefined) {
      params.objective_id = args.objectiveId;
    }
    const result = await this.request("mob/submit_work", params);
    return {
      mobId: MeerkatClient.requireStringField(
        result,
        "mob_id",
        "Invalid mob/submit_work response: missing mob_id",
      ),
      workRef: MeerkatClient.requireStringField(
        result,
        "work_ref",
        "Invalid mob/submit_work response: missing work_ref",
      ),
      memberRef: MeerkatClient.requireStringField(
        result,
        "member_ref",
        "Invalid mob/submit_work response: missing member_ref",
      ),
      ...(typeof result.objective_id === "string"
        ? { objectiveId: result.objective_id }
        : {}),
    };
  }

  /** Conclude a machine-owned kickoff objective for a pre-addressed member. */
  async mobConcludeObjective(args: {
    memberRef: string;
    objectiveId: string;
    outcome: string;
  }): Promise<MobConcludeObjectiveResult> {
    const params: MobConcludeObjectiveParams = {
      member_ref: args.memberRef,
      objective_id: args.objectiveId,
      outcome: args.outcome,
    };
    const result = await this.request("mob/conclude_objective", params);
    return {
      member_ref: MeerkatClient.requireStringField(result, "member_ref", "Invalid mob/conclude_objective response"),
      objective_id: MeerkatClient.requireStringField(result, "objective_id", "Invalid mob/conclude_objective response"),
      concluded: MeerkatClient.requireBooleanField(result, "concluded", "Invalid mob/conclude_objective response"),
    };
  }

  /**
   * Cancel a previously submitted unit of work.
   * Wraps the `mob/cancel_work` RPC (DELETE_ME C4).
   */
  async mobCancelWork(mobId: string, workRef: string): Promise<{ ok: boolean }> {
    const result = await this.request("mob/cancel_work", {
      mob_id: mobId,
      work_ref: workRef,
    });
    const context = "Invalid mob/cancel_work response";
    MeerkatClient.requireStringField(result, "mob_id", context);
    const ok = MeerkatClient.requireBooleanField(result, "ok", context);
    return { ok };
  }

  /**
   * Cancel all in-flight work for a specific mob member.
   * Wraps the `mob/cancel_all_work` RPC (DELETE_ME C4).
   */
  async mobCancelAllWork(args: {
    memberRef: string;
  }): Promise<{ ok: boolean }> {
    const result = await this.request("mob/cancel_all_work", {
      member_ref: args.memberRef,
    });
    const context = "Invalid mob/cancel_all_work response";
    MeerkatClient.requireStringField(result, "mob_id", context);
    const ok = MeerkatClient.requireBooleanField(result, "ok", context);
    return { ok };
  }

  async waitMobKickoff(
    mobId: string,
    options?: MobKickoffWaitOptions,
  ): Promise<MobKickoffMemberSnapshot[]> {
    const params: RpcMobWaitParams = { mob_id: mobId };
    if (options?.memberIds !== undefined) {
      params.member_ids = options.memberIds;
    }
    if (options?.timeoutMs !== undefined) {
      params.timeout_ms = options.timeoutMs;
    }
    const result = await this.request("mob/wait_kickoff", params);
    const members = MeerkatClient.requireRecordArray(
      result.members,
      "Invalid mob/wait_kickoff response",
    );
    return members.map((member) => {
      const agentIdentity = String(member.agent_identity ?? "");
      if (!agentIdentity) {
        throw new MeerkatError(
          "INVALID_RESPONSE",
          "Invalid mob/wait_kickoff response: member missing agent_identity",
        );
      }
      const status = MeerkatClient.requireStringField(
        member,
        "status",
        "Invalid mob/wait_kickoff response",
      );
      const tokensUsed = MeerkatClient.requireNonNegativeIntegerField(
        member,
        "tokens_used",
        "Invalid mob/wait_kickoff response",
      );
      const isFinal = MeerkatClient.requireBooleanField(
        member,
        "is_final",
        "Invalid mob/wait_kickoff response",
      );
      return {
        agentIdentity,
        status,
        outputPreview:
          member.output_preview != null ? String(member.output_preview) : undefined,
        error: member.error != null ? String(member.error) : undefined,
        tokensUsed,
        isFinal,
        peerConnectivity: MeerkatClient.parseMobPeerConnectivity(
          member.peer_connectivity,
          "Invalid mob/wait_kickoff response",
        ),
      };
    });
  }

  async waitMobReady(
    mobId: string,
    options?: MobReadyWaitOptions,
  ): Promise<MobReadyMemberSnapshot[]> {
    const params: RpcMobWaitParams = { mob_id: mobId };
    if (options?.memberIds !== undefined) {
      params.member_ids = options.memberIds;
    }
    if (options?.timeoutMs !== undefined) {
      params.timeout_ms = options.timeoutMs;
    }
    const result = await this.request("mob/wait_ready", params);
    const members = MeerkatClient.requireRecordArray(
      result.members,
      "Invalid mob/wait_ready response",
    );
    return members.map((member) => {
      const agentIdentity = String(member.agent_identity ?? "");
      if (!agentIdentity) {
        throw new MeerkatError(
          "INVALID_RESPONSE",
          "Invalid mob/wait_ready response: member missing agent_identity",
        );
      }
      const status = MeerkatClient.requireStringField(
        member,
        "status",
        "Invalid mob/wait_ready response",
      );
      const tokensUsed = MeerkatClient.requireNonNegativeIntegerField(
        member,
        "tokens_used",
        "Invalid mob/wait_ready response",
      );
      const isFinal = MeerkatClient.requireBooleanField(
        member,
        "is_final",
        "Invalid mob/wait_ready response",
      );
      return {
        agentIdentity,
        status,
        outputPreview:
          member.output_preview != null ? String(member.output_preview) : undefined,
        error: member.error != null ? String(member.error) : undefined,
        tokensUsed,
        isFinal,
        peerConnectivity: MeerkatClient.parseMobPeerConnectivity(
          member.peer_connectivity,
          "Invalid mob/wait_ready response",
        ),
      };
    });
  }

  async wait_mob_kickoff(
    mobId: string,
    options?: MobKickoffWaitOptions,
  ): Promise<MobKickoffMemberSnapshot[]> {
    return this.waitMobKickoff(mobId, options);
  }

  async wait_mob_ready(
    mobId: string,
    options?: MobReadyWaitOptions,
  ): Promise<MobReadyMemberSnapshot[]> {
    return this.waitMobReady(mobId, options);
  }

  async spawnMobHelper(
    mobId: string,
    prompt: string,
    options: MobHelperOptions,
  ): Promise<MobHelperResult> {
    const roleName = options?.roleName ?? options?.profileName;
    const result = await this.request("mob/spawn_helper", {
      mob_id: mobId,
      prompt,
      result_label: options.resultLabel,
      max_text_bytes: options.maxTextBytes,
      agent_identity: options?.agentIdentity,
      role_name: roleName,
      model_override: options?.modelOverride,
      auth_binding: options?.authBinding,
      runtime_mode: options?.runtimeMode,
      backend: options?.backend,
    });
    return MeerkatClient.parseMobHelperResult(
      result,
      "Invalid mob/spawn_helper response",
    );
  }

  async forkMobHelper(
    mobId: string,
    sourceMemberId: string,
    prompt: string,
    options: MobForkHelperOptions,
  ): Promise<MobHelperResult> {
    const roleName = options?.roleName ?? options?.profileName;
    const result = await this.request("mob/fork_helper", {
      mob_id: mobId,
      source_member_id: sourceMemberId,
      prompt,
      result_label: options.resultLabel,
      max_text_bytes: options.maxTextBytes,
      agent_identity: options?.agentIdentity,
      role_name: roleName,
      model_override: options?.modelOverride,
      auth_binding: options?.authBinding,
      fork_context: options?.forkContext,
      runtime_mode: options?.runtimeMode,
      backend: options?.backend,
    });
    return MeerkatClient.parseMobHelperResult(
      result,
      "Invalid mob/fork_helper response",
    );
  }

  async wireMobMembers(mobId: string, member: string, peer: MobPeerTarget): Promise<void> {
    const payload =
      typeof peer === "string"
        ? { member, peer: { local: peer } }
        : { member, peer };
    await this.request("mob/wire", { mob_id: mobId, ...payload });
  }

  async mobWireMembersBatch(
    mobId: string,
    edges: readonly MobWireMembersBatchEdgeInput[],
  ): Promise<MobWireMembersBatchResult> {
    const result = await this.request("mob/wire_members_batch", {
      mob_id: mobId,
      edges: edges.map(normalizeMobWireMembersBatchEdge),
    });
    return MeerkatClient.parseMobWireMembersBatchReport(result);
  }

  async unwireMobMembers(mobId: string, member: string, peer: MobPeerTarget): Promise<void> {
    const payload =
      typeof peer === "string"
        ? { member, peer: { local: peer } }
        : { member, peer };
    await this.request("mob/unwire", { mob_id: mobId, ...payload });
  }

  async mobLifecycle(mobId: string, action: MobLifecycleAction): Promise<void> {
    await this.request("mob/lifecycle", { mob_id: mobId, action });
  }

  async appendMobSystemContext(
    mobId: string,
    agentIdentity: string,
    text: string,
    options?: { source?: string; idempotencyKey?: string },
  ): Promise<Record<string, unknown>> {
    return this.request("mob/append_system_context", {
      mob_id: mobId,
      agent_identity: agentIdentity,
      text,
      source: options?.source,
      idempotency_key: options?.idempotencyKey,
    });
  }

  async readMobEvents(
    mobId: string,
    options?: MobEventsOptions,
  ): Promise<MobEventsResult> {
    const params: RpcMobEventsParams = { mob_id: mobId };
    if (options?.afterCursor !== undefined) {
      params.after_cursor = options.afterCursor;
    }
    if (options?.limit !== undefined) {
      params.limit = options.limit;
    }
    const result = await this.request("mob/events", params);
    if (
      typeof result !== "object" ||
      result === null ||
      Array.isArray(result) ||
      !Object.hasOwn(result, "events") ||
      !Array.isArray(result.events)
    ) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        "Invalid mob/events response: events must be an array",
        result,
      );
    }
    const events = result.events;
    return { events };
  }

  async mobIngressInteraction(
    params: RpcMobIngressInteractionParams,
  ): Promise<RpcMobIngressInteractionResult> {
    return this.request("mob/ingress_interaction", params);
  }

  async createMobProfile(name: string, profile: MobProfile): Promise<MobProfileLookupResult> {
    const raw = await this.request("mob/profile/create", {
      name,
      profile: toWireMobProfile(profile),
    });
    return MeerkatClient.parseMobProfileLookup(raw);
  }

  async getMobProfile(name: string): Promise<MobProfileLookupResult> {
    const raw = await this.request("mob/profile/get", { name });
    return MeerkatClient.parseMobProfileLookup(raw);
  }

  async listMobProfiles(): Promise<MobProfileLookupResult[]> {
    const raw = await this.request("mob/profile/list", {});
    const profiles = MeerkatClient.requireRecordArray(
      raw.profiles,
      "Invalid mob/profile/list response",
    );
    return profiles.map((profile) => MeerkatClient.parseMobProfileLookup(profile));
  }

  async updateMobProfile(
    name: string,
    profile: MobProfile,
    expectedRevision: number,
  ): Promise<MobProfileLookupResult> {
    const raw = await this.request("mob/profile/update", {
      name,
      profile: toWireMobProfile(profile),
      expected_revision: expectedRevision,
    });
    return MeerkatClient.parseMobProfileLookup(raw);
  }

  async deleteMobProfile(
    name: string,
    expectedRevision: number,
  ): Promise<MobProfileDeleteResult> {
    const raw = await this.request("mob/profile/delete", {
      name,
      expected_revision: expectedRevision,
    });
    if (typeof raw.name !== "string" || typeof raw.deleted_revision !== "number") {
      throw new Error(
        "Invalid mob/profile/delete response: missing name or deleted_revision",
      );
    }
    return {
      name: raw.name,
      deletedRevision: raw.deleted_revision,
    };
  }

  async listMobFlows(mobId: string): Promise<string[]> {
    const result = await this.request("mob/flows", { mob_id: mobId });
    const context = "Invalid mob/flows response";
    MeerkatClient.requireStringField(result, "mob_id", context);
    return MeerkatClient.requireStringArrayField(result, "flows", context);
  }

  async runMobFlow(mobId: string, flowId: string, params: Record<string, unknown> = {}): Promise<string> {
    const result = await this.request("mob/flow_run", { mob_id: mobId, flow_id: flowId, params });
    return MeerkatClient.requireStringField(
      result,
      "run_id",
      "Invalid mob/flow_run response: missing run_id",
    );
  }

  async runMob(
    mobId: string,
    params: Record<string, unknown> = {},
    options: { prompt?: string; flowId?: string } = {},
  ): Promise<string> {
    const payload: MobRunParams = { mob_id: mobId, params };
    if (options.prompt !== undefined) payload.prompt = options.prompt;
    if (options.flowId !== undefined) payload.flow_id = options.flowId;
    const result = (await this.request("mob/run", payload)) as MobFlowRunResult;
    if (typeof result.run_id !== "string" || result.run_id.length === 0) {
      throw new Error("Invalid mob/run response: missing run_id");
    }
    return result.run_id;
  }

  async getMobFlowStatus(mobId: string, runId: string): Promise<MobFlowStatus | null> {
    const result = (await this.request("mob/flow_status", {
      mob_id: mobId,
      run_id: runId,
    })) as MobFlowStatusResult;
    return result.run == null
      ? null
      : {
          run: result.run as unknown as Record<string, unknown>,
          execution_binding: result.execution_binding ?? null,
        };
  }

  async getMobRunResult(mobId: string, runId: string): Promise<PublicMobRunResult | null> {
    const params: MobRunResultParams = { mob_id: mobId, run_id: runId };
    const result = (await this.request("mob/run_result", params)) as MobRunResult;
    return result.run == null
      ? null
      : { run: result.run as unknown as Record<string, unknown> };
  }

  async cancelMobFlow(mobId: string, runId: string): Promise<void> {
    await this.request("mob/flow_cancel", { mob_id: mobId, run_id: runId });
  }

  async subscribeMobEvents(mobId: string): Promise<EventSubscription<AttributedMobEvent>> {
    return this.openEventSubscription(
      "mob/stream_open",
      { mob_id: mobId },
      "mob/stream_close",
      MeerkatClient.parseAttributedMobEvent,
    );
  }

  async subscribeMobMemberEvents(mobId: string, agentIdentity: string): Promise<EventSubscription<AgentEventEnvelope>> {
    return this.openEventSubscription(
      "mob/stream_open",
      { mob_id: mobId, agent_identity: agentIdentity },
      "mob/stream_close",
      MeerkatClient.parseAgentEventEnvelope,
    );
  }

  private async openEventSubscription<T>(
    openMethod: "session/stream_open",
    params: RpcSessionStreamOpenParams,
    closeMethod: "session/stream_close",
    parse: (raw: Record<string, unknown>) => T,
  ): Promise<EventSubscription<T>>;
  private async openEventSubscription<T>(
    openMethod: "mob/stream_open",
    params: RpcMobStreamOpenParams,
    closeMethod: "mob/stream_close",
    parse: (raw: Record<string, unknown>) => T,
  ): Promise<EventSubscription<T>>;
  private async openEventSubscription<T>(
    openMethod: "session/stream_open" | "mob/stream_open",
    params: RpcSessionStreamOpenParams | RpcMobStreamOpenParams,
    closeMethod: "session/stream_close" | "mob/stream_close",
    parse: (raw: Record<string, unknown>) => T,
  ): Promise<EventSubscription<T>> {
    const result = this.process?.stdin
      ? await (async () => {
          this.requestId++;
          const requestId = this.requestId;
          const responsePromise = this.registerRequest<
            RpcSessionStreamOpenResult | RpcMobStreamOpenResult
          >(requestId);
          const rpcRequest = { jsonrpc: "2.0", id: requestId, method: openMethod, params };
          this.process!.stdin!.write(JSON.stringify(rpcRequest) + "\n");
          return responsePromise;
        })()
      : openMethod === "session/stream_open"
        ? await this.request("session/stream_open", params as RpcSessionStreamOpenParams)
        : await this.request("mob/stream_open", params as RpcMobStreamOpenParams);
    const streamId = String(result.stream_id ?? "");
    if (!streamId) {
      throw new MeerkatError("INVALID_RESPONSE", `${openMethod} did not return stream_id`);
    }
    const queue = new AsyncQueue<Record<string, unknown> | null>();
    this.streamQueues.set(streamId, queue);
    const buffered = this.unmatchedStandaloneStreamBuffer.get(streamId) ?? [];
    for (const event of buffered) {
      queue.put(event);
    }
    this.unmatchedStandaloneStreamBuffer.delete(streamId);
    if (this.unmatchedStandaloneStreamEnd.delete(streamId)) {
      queue.put(null);
    }
    return new EventSubscription<T>({
      streamId,
      queue,
      closeRemote: async (id: string) => {
        // Await stream-close authority before tearing down local dispatch:
        // a rejected close must leave the subscription delivering events.
        if (closeMethod === "session/stream_close") {
          await this.request("session/stream_close", { stream_id: id });
        } else {
          await this.request("mob/stream_close", { stream_id: id });
        }
        this.streamQueues.delete(id);
      },
      parseEvent: parse,
      getTerminalOutcome: () => this.streamTerminalOutcomes.get(streamId),
    });
  }

  private static parseAgentEventEnvelope(raw: Record<string, unknown>): AgentEventEnvelope {
    return parseAgentEventEnvelope(raw);
  }

  private static parseRequiredString(raw: unknown, context: string): string {
    if (typeof raw === "string" && raw.length > 0) {
      return raw;
    }
    throw new MeerkatError("INVALID_RESPONSE", context);
  }

  private static parseBoundedHelperResult(
    raw: unknown,
    context: string,
  ): MobBoundedHelperResult {
    const record = MeerkatClient.requireRecord(raw, "bounded_result", context);
    const status = MeerkatClient.requireStringField(record, "status", context);
    const allowedStatuses = new Set([
      "completed",
      "completed_truncated",
      "failed",
      "failed_truncated",
      "in_progress",
      "in_progress_truncated",
      "unavailable",
      "unavailable_truncated",
    ]);
    if (!allowedStatuses.has(status)) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: unsupported bounded_result status ${status}`,
      );
    }
    return {
      label: MeerkatClient.requireStringField(record, "label", context),
      status: status as MobBoundedHelperResult["status"],
      text: MeerkatClient.requirePresentStringField(record, "text", context),
    };
  }

  private static parseMobHelperResult(
    result: Record<string, unknown>,
    context: string,
  ): MobHelperResult {
    const output = MeerkatClient.requirePresentStringField(result, "output", context);
    const tokensUsed = MeerkatClient.requireNonNegativeIntegerField(
      result,
      "tokens_used",
      context,
    );
    const agentIdentity = MeerkatClient.requireStringField(
      result,
      "agent_identity",
      context,
    );
    const memberRef = MeerkatClient.requireStringField(result, "member_ref", context);
    const boundedResult = MeerkatClient.parseBoundedHelperResult(
      result.bounded_result,
      context,
    );
    const sessionId = MeerkatClient.requireStringField(result, "session_id", context);
    const usageRaw = MeerkatClient.requireRecord(result.usage, "usage", context);
    const usage: Usage = {
      inputTokens: MeerkatClient.requireNonNegativeIntegerField(
        usageRaw,
        "input_tokens",
        context,
        "usage.input_tokens",
      ),
      outputTokens: MeerkatClient.requireNonNegativeIntegerField(
        usageRaw,
        "output_tokens",
        context,
        "usage.output_tokens",
      ),
      ...(usageRaw.cache_creation_tokens != null
        ? {
            cacheCreationTokens: MeerkatClient.requireNonNegativeIntegerField(
              usageRaw,
              "cache_creation_tokens",
              context,
              "usage.cache_creation_tokens",
            ),
          }
        : {}),
      ...(usageRaw.cache_read_tokens != null
        ? {
            cacheReadTokens: MeerkatClient.requireNonNegativeIntegerField(
              usageRaw,
              "cache_read_tokens",
              context,
              "usage.cache_read_tokens",
            ),
          }
        : {}),
    };
    const retirementError = MeerkatClient.optionalStringField(
      result,
      "retirement_error",
      context,
    );
    return {
      output,
      tokensUsed,
      agentIdentity,
      memberRef,
      boundedResult,
      sessionId,
      usage,
      turns: MeerkatClient.requireNonNegativeIntegerField(result, "turns", context),
      toolCalls: MeerkatClient.requireNonNegativeIntegerField(result, "tool_calls", context),
      ...(retirementError !== undefined ? { retirementError } : {}),
    };
  }

  private static parseAttributedMobEvent(raw: Record<string, unknown>): AttributedMobEvent {
    const context = "Invalid attributed mob event";
    // The runtime wire shape (meerkat-mob AttributedEvent) carries a typed
    // source `{ identity, generation }` (AgentRuntimeId) and a `role`
    // (ProfileName) string — NOT free-form `source`/`profile` strings. Mirror
    // the web SDK `parseAttributedEventItem`/`parseAttributedSource`: validate
    // the source record (require non-empty `identity` + non-negative integer
    // `generation`) and the `role` field, throwing on absence/malformation.
    // The public `AttributedMobEvent` TS type exposes `source: string` /
    // `profile: string`, so the validated `identity` is projected into
    // `source` and the validated `role` into `profile`. Nothing is coalesced
    // to "" — absent/unknown fields fail closed.
    const source = MeerkatClient.requireRecord(raw.source, "source", context);
    const identity = MeerkatClient.requireStringField(source, "identity", context);
    const generation = MeerkatClient.requireNumberField(
      source,
      "generation",
      context,
    );
    if (!Number.isSafeInteger(generation) || generation < 0) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: source generation must be a non-negative integer`,
      );
    }
    const role = MeerkatClient.requireStringField(raw, "role", context);
    return {
      source: identity,
      profile: role,
      envelope: MeerkatClient.parseAgentEventEnvelope(
        MeerkatClient.requireRecord(raw.envelope, "envelope", context),
      ),
    };
  }

  // -- Internal methods used by Session -----------------------------------

  /** @internal */
  async _startTurn(
    sessionId: string,
    prompt: string | ContentBlock[],
    options?: TurnOptions,
  ): Promise<RunResult> {
    const params: Record<string, unknown> = { session_id: sessionId, prompt };
    if (options?.injectedContext != null) {
      params.injected_context = options.injectedContext;
    }
    if (options?.transientTurnContext != null) {
      params.transient_turn_context = options.transientTurnContext;
    }
    const wireRefs = skillRefsToWire(options?.skillRefs);
    if (wireRefs) {
      params.skill_refs = wireRefs;
    }
    if (options?.turnToolOverlay) {
      params.turn_tool_overlay = {
        allowed_tools: options.turnToolOverlay.allowedTools,
        blocked_tools: options.turnToolOverlay.blockedTools,
      };
    }
    if (options?.additionalInstructions != null) {
      params.additional_instructions = options.additionalInstructions;
    }
    if (options?.keepAlive != null) params.keep_alive = options.keepAlive;
    if (options?.model) params.model = options.model;
    if (options?.provider) params.provider = options.provider;
    if (options?.selfHostedServerId != null) {
      params.self_hosted_server_id = options.selfHostedServerId;
    }
    if (options?.maxTokens) params.max_tokens = options.maxTokens;
    if (options?.systemPrompt !== undefined) {
      params.system_prompt = options.systemPrompt;
    }
    if (options?.outputSchema) params.output_schema = options.outputSchema;
    if (options?.structuredOutputRetries != null) {
      params.structured_output_retries = options.structuredOutputRetries;
    }
    if (options?.providerParams) params.provider_params = options.providerParams;
    const raw = await this.request("turn/start", params);
    return MeerkatClient.parseRunResult(raw);
  }

  /** @internal */
  _startTurnStreaming(
    sessionId: string,
    prompt: string | ContentBlock[],
    options?: TurnOptions,
    session?: Session,
  ): EventStream {
    if (!this.process?.stdin) {
      throw new MeerkatError("NOT_CONNECTED", "Client not connected");
    }

    this.requestId++;
    const requestId = this.requestId;

    const queue = new AsyncQueue<Record<string, unknown> | null>();
    this.eventQueues.set(sessionId, queue);

    const responsePromise = this.registerRequest(requestId);
    const params: Record<string, unknown> = { session_id: sessionId, prompt };
    if (options?.injectedContext != null) {
      params.injected_context = options.injectedContext;
    }
    if (options?.transientTurnContext != null) {
      params.transient_turn_context = options.transientTurnContext;
    }
    const wireRefs = skillRefsToWire(options?.skillRefs);
    if (wireRefs) {
      params.skill_refs = wireRefs;
    }
    if (options?.turnToolOverlay) {
      params.turn_tool_overlay = {
        allowed_tools: options.turnToolOverlay.allowedTools,
        blocked_tools: options.turnToolOverlay.blockedTools,
      };
    }
    if (options?.additionalInstructions != null) {
      params.additional_instructions = options.additionalInstructions;
    }
    if (options?.keepAlive != null) params.keep_alive = options.keepAlive;
    if (options?.model) params.model = options.model;
    if (options?.provider) params.provider = options.provider;
    if (options?.selfHostedServerId != null) {
      params.self_hosted_server_id = options.selfHostedServerId;
    }
    if (options?.maxTokens) params.max_tokens = options.maxTokens;
    if (options?.systemPrompt !== undefined) {
      params.system_prompt = options.systemPrompt;
    }
    if (options?.outputSchema) params.output_schema = options.outputSchema;
    if (options?.structuredOutputRetries != null) {
      params.structured_output_retries = options.structuredOutputRetries;
    }
    if (options?.providerParams) params.provider_params = options.providerParams;

    const rpcRequest = { jsonrpc: "2.0", id: requestId, method: "turn/start", params };
    this.process.stdin!.write(JSON.stringify(rpcRequest) + "\n");

    return new EventStream({
      sessionId,
      eventQueue: queue,
      responsePromise,
      parseResult: MeerkatClient.parseRunResult,
      session,
    });
  }


  /** @internal */
  async _interrupt(sessionId: string): Promise<InterruptResult> {
    return (await this.request("turn/interrupt", {
      session_id: sessionId,
    })) as unknown as InterruptResult;
  }

  /** @internal */
  async _archive(sessionId: string): Promise<void> {
    await this.request("session/archive", { session_id: sessionId });
  }

  private static retiredRuntimeSessionControlError(): MeerkatError {
    return new MeerkatError(
      "METHOD_NOT_FOUND",
      "Retired runtime session control methods are no longer supported by the public RPC surface.",
    );
  }

  /**
   * @internal
   * @deprecated Retired runtime/session control RPC method; always fails before transport.
   */
  async _runtimeStatus(_params: Record<string, unknown>): Promise<never> {
    throw MeerkatClient.retiredRuntimeSessionControlError();
  }

  /**
   * @internal
   * @deprecated Retired runtime/session control RPC method; always fails before transport.
   */
  async _runtimeSubmit(_params: Record<string, unknown>): Promise<never> {
    throw MeerkatClient.retiredRuntimeSessionControlError();
  }

  /**
   * @internal
   * @deprecated Retired runtime/session control RPC method; always fails before transport.
   */
  async _runtimeSubmission(_params: Record<string, unknown>): Promise<never> {
    throw MeerkatClient.retiredRuntimeSessionControlError();
  }

  /**
   * @internal
   * @deprecated Retired runtime/session control RPC method; always fails before transport.
   */
  async _runtimeSubmissions(_params: Record<string, unknown>): Promise<never> {
    throw MeerkatClient.retiredRuntimeSessionControlError();
  }

  /**
   * @internal
   * @deprecated Retired runtime/session control RPC method; always fails before transport.
   */
  async _runtimeRetire(_params: Record<string, unknown>): Promise<never> {
    throw MeerkatClient.retiredRuntimeSessionControlError();
  }

  /**
   * @internal
   * @deprecated Retired runtime/session control RPC method; always fails before transport.
   */
  async _runtimeReset(_params: Record<string, unknown>): Promise<never> {
    throw MeerkatClient.retiredRuntimeSessionControlError();
  }

  /** @internal */
  async _send(sessionId: string, command: CommsCommand): Promise<CommsSendResult> {
    return this.send(sessionId, command);
  }

  /** @internal */
  async _peers(
    sessionId: string,
  ): Promise<CommsPeersResult> {
    return this.peers(sessionId);
  }

  /**
   * Send a typed comms command. Invalid discriminators (`source`, `stream`,
   * `handling_mode`, `status`) are rejected at the server's typed-serde
   * boundary.
   */
  async send(sessionId: string, command: CommsCommand): Promise<CommsSendResult> {
    const result = await this.request(
      "comms/send",
      toWireCommsSendParams(sessionId, command),
    );
    return MeerkatClient.parseCommsSendReceipt(result);
  }

  async peers(
    sessionId: string,
  ): Promise<CommsPeersResult> {
    const result = await this.request("comms/peers", { session_id: sessionId });
    if (!Array.isArray(result.peers)) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        "Invalid comms/peers response: missing peers",
      );
    }
    return { peers: result.peers } as CommsPeersResult;
  }

  /** Idempotent spawn: spawns or returns the existing member entry. */
  async mobEnsureMember(
    mobId: string,
    spec: RpcMobMemberSpecWire,
  ): Promise<RpcMobEnsureMemberResult> {
    return await this.request("mob/ensure_member", {
      mob_id: mobId,
      spec,
    });
  }

  /** Declarative reconcile: converge roster to the desired spec list. */
  async mobReconcile(
    mobId: string,
    desired: RpcMobMemberSpecWire[],
    options?: RpcMobReconcileOptionsWire,
  ): Promise<RpcMobReconcileResult> {
    const params: RpcMobReconcileParams = { mob_id: mobId, desired };
    if (options !== undefined) params.options = options;
    return await this.request("mob/reconcile", params);
  }

  /** Label-filtered member listing. */
  async mobListMembersMatching(
    mobId: string,
    filter: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    return await this.request("mob/list_members_matching", {
      mob_id: mobId,
      filter,
    });
  }

  // -- Live multimodal adapter (`live/*`) ---------------------------------
  //
  // Typed wrappers over the `live/*` JSON-RPC surface (enabled when the
  // server configures at least one live transport). Result types come from `meerkat-contracts`
  // schemas regenerated into `./generated/types.ts`. See I52/I53.

  async liveOpen(params: LiveOpenParams): Promise<LiveOpenResult> {
    const result = await this.request("live/open", params);
    return MeerkatClient.parseLiveOpenResult(result, "Invalid live/open response");
  }

  async liveWebrtcAnswer(
    params: LiveWebrtcAnswerParams,
  ): Promise<LiveWebrtcAnswerResult> {
    const result = await this.request(
      "live/webrtc/answer",
      params,
    );
    return result as unknown as LiveWebrtcAnswerResult;
  }

  async liveStatus(params: LiveChannelParams): Promise<LiveStatusResult> {
    const result = await this.request(
      "live/status",
      params,
    );
    return MeerkatClient.parseLiveStatusResult(result, "Invalid live/status response");
  }

  async liveClose(params: LiveChannelParams): Promise<LiveCloseResult> {
    const result = await this.request("live/close", params);
    return MeerkatClient.parseLiveCloseResult(result);
  }

  async liveSendInput(params: LiveSendInputParams): Promise<void> {
    await this.request("live/send_input", params);
  }

  /**
   * T11: typed helper to build an image `LiveInputChunkWire` and send it
   * via `live/send_input`. `idempotencyKey` is required, caller-stable, and
   * session-scoped. Replaying the same key with the same MIME and bytes is
   * safe; reusing it for different content is rejected. `mime` is the IANA
   * MIME type. Adapter support is provider-specific; OpenAI Realtime currently
   * accepts `image/png` and `image/jpeg`. `dataBase64` is the raw image bytes
   * encoded as standard base64. Promise resolution proves queue acceptance,
   * not durable commit; wait for `user_content_committed` carrying the same
   * key. Check `image_in` in the
   * `live/open` capabilities before sending. Adapters or model bindings that
   * do not implement image input reject with
   * `LiveAdapterErrorCode::ConfigRejected { reason:
   * "image_input_not_implemented" }`.
   */
  async liveSendInputImage(
    channelId: string,
    idempotencyKey: string,
    mime: string,
    dataBase64: string,
  ): Promise<void> {
    await this.request("live/send_input", {
      channel_id: channelId,
      chunk: {
        kind: "image",
        idempotency_key: idempotencyKey,
        mime,
        data: dataBase64,
      },
    });
  }

  /**
   * T11: typed helper to build a video-frame `LiveInputChunkWire` and
   * send it via `live/send_input`. `codec` is the frame encoding (`vp8`,
   * `vp9`, `h264`, `image/jpeg` for keyframe-as-image transports, …);
   * `dataBase64` is the encoded frame bytes encoded as standard base64;
   * `timestampMs` is the presentation timestamp the adapter will stamp
   * into the provider envelope so frames remain ordered. Adapters that do
   * not implement video input reject with
   * `LiveAdapterErrorCode::ConfigRejected { reason:
   * "video_frame_input_not_implemented" }`.
   */
  async liveSendInputVideoFrame(
    channelId: string,
    codec: string,
    dataBase64: string,
    timestampMs: number,
  ): Promise<void> {
    await this.request("live/send_input", {
      channel_id: channelId,
      chunk: {
        kind: "video_frame",
        codec,
        data: dataBase64,
        timestamp_ms: timestampMs,
      },
    });
  }

  async liveCommitInput(params: LiveCommitInputParams): Promise<void> {
    await this.request("live/commit_input", params);
  }

  async liveInterrupt(params: LiveChannelParams): Promise<void> {
    await this.request("live/interrupt", params);
  }

  async liveTruncate(params: LiveTruncateParams): Promise<void> {
    await this.request("live/truncate", params);
  }


  /**
   * Apply mutable session config (instructions / tools / audio) to an open
   * live channel. Wraps `live/refresh`.
   *
   * **Does NOT replay canonical history.** Refresh enqueues a single
   * `session.update` carrying the latest projection snapshot's mutable
   * config fields. History seeding is owned by `live/open`; refresh is
   * config-only by design.
   *
   * **Identity/history changes require close + reopen.** Refresh validates
   * that `model_id`, `provider_id`, the canonical transcript rewrite
   * generation, and the user-content identity/tombstone registry still match
   * the open channel. Identity swaps and history rewrites reject with typed
   * adapter-level errors instead of mutating provider history in place.
   *
   * R4-5 (P3): the result is a typed `LiveRefreshResult` carrying the
   * generated-authority `status` discriminator (today: `"queued"`). This SDK
   * build accepts the generated status set it was built with and rejects
   * missing or unknown status values until regenerated for a newer contract.
   * The host queue acceptance happens before this result is projected; the
   * adapter pump applies the `session.update` asynchronously, and the
   * realtime stream is the source of truth for the actual outcome (failures
   * surface as `WireLiveAdapterObservation::Error`).
   */
  async liveRefresh(params: LiveChannelParams): Promise<LiveRefreshResult> {
    const result = await this.request(
      "live/refresh",
      params,
    );
    return MeerkatClient.parseLiveRefreshResult(result);
  }

  /**
   * Type-narrow an inbound live-adapter observation against
   * {@link WireLiveAdapterObservation}.
   *
   * Observations stream over the WS transport returned by `live/open` as
   * JSON objects internally tagged on `observation` (`ready`,
   * `assistant_audio_chunk`, `command_rejected`, …). The Meerkat SDK
   * does not own the WS transport (browsers/Node clients connect the URL
   * from `LiveOpenResult.transport` directly); this helper is a typed
   * cast / runtime guard so callers can pattern-match each variant
   * without re-typing the discriminator.
   *
   * Example:
   * ```ts
   * const obs = MeerkatClient.parseLiveObservation(JSON.parse(frame));
   * switch (obs.observation) {
   *   case "assistant_audio_chunk":
   *     // Typed: obs.item_id, obs.response_id, obs.content_index — R5-4.
   *     truncateAt(obs.item_id, obs.content_index);
   *     break;
   *   case "command_rejected":
   *     // R5-9: typed channel-survives error.
   *     handleRejection(obs.code, obs.message);
   *     break;
   * }
   * ```
   *
   * FIX-SDK-OBS: closes the verifier gap that left
   * `WireLiveAdapterObservation` invisible at the SDK boundary.
   */
  static parseLiveObservation(raw: unknown): WireLiveAdapterObservation {
    if (raw === null || typeof raw !== "object") {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        "live observation must be a JSON object",
      );
    }
    if (!("observation" in raw)) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        "live observation missing `observation` discriminator",
      );
    }
    return raw as WireLiveAdapterObservation;
  }

  // -- Auth + realm (Phase 4d) --------------------------------------------
  //
  // These wrappers cover the RPC catalog's auth/* and realm/* methods.
  // Write-side methods (auth/profile/create, delete, login/start,
  // login/complete, login/device_start, logout) are currently server-stubbed
  // with typed INVALID_REQUEST pointing to the CLI; the wrappers surface
  // whatever the server returns so they stay honest about the state.

  async realmList(): Promise<unknown> {
    return this.request("realm/list", {});
  }

  async realmGet(realmId: string): Promise<unknown> {
    return this.request("realm/get", { realm_id: realmId });
  }

  async authProfileList(realmId: string): Promise<unknown> {
    return this.request("auth/profile/list", { realm_id: realmId });
  }

  async authProfileGet(
    realmId: string,
    bindingId: string,
    profileId?: string,
  ): Promise<unknown> {
    const params: RpcBindingIdParams = {
      realm_id: realmId,
      binding_id: bindingId,
    };
    if (profileId) params.profile_id = profileId;
    return this.request("auth/profile/get", params);
  }

  async authProfileCreate(params: RpcCreateProfileParams): Promise<RpcWireAuthProfileCreated> {
    return this.request("auth/profile/create", params);
  }

  async authProfileDelete(
    realmId: string,
    bindingId: string,
    profileId?: string,
  ): Promise<unknown> {
    const params: RpcBindingIdParams = {
      realm_id: realmId,
      binding_id: bindingId,
    };
    if (profileId) params.profile_id = profileId;
    return this.request("auth/profile/delete", params);
  }

  async authLoginStart(params: RpcLoginStartParams): Promise<RpcWireLoginStart> {
    return this.request("auth/login/start", params);
  }

  async authLoginComplete(params: RpcLoginCompleteParams): Promise<RpcWireLoginReady> {
    return this.request("auth/login/complete", params);
  }

  async authLoginDeviceStart(
    params: RpcDeviceStartParams,
  ): Promise<RpcWireDeviceStart> {
    return this.request("auth/login/device_start", params);
  }

  async authLoginDeviceComplete(
    params: RpcDeviceCompleteParams,
  ): Promise<RpcWireDeviceCompleteResult> {
    return this.request("auth/login/device_complete", params);
  }

  async authLoginProvisionApiKey(
    params: RpcProvisionApiKeyParams,
  ): Promise<RpcWireProvisionApiKeyResult> {
    return this.request("auth/login/provision_api_key", params);
  }

  async authStatusGet(
    realmId: string,
    bindingId: string,
    profileId?: string,
  ): Promise<unknown> {
    const params: RpcBindingIdParams = {
      realm_id: realmId,
      binding_id: bindingId,
    };
    if (profileId !== undefined) params.profile_id = profileId;
    return this.request("auth/status/get", params);
  }

  async authLogout(
    realmId: string,
    bindingId: string,
    profileId?: string,
  ): Promise<unknown> {
    const params: RpcBindingIdParams = {
      realm_id: realmId,
      binding_id: bindingId,
    };
    if (profileId !== undefined) params.profile_id = profileId;
    return this.request("auth/logout", params);
  }

  // -- Transport ----------------------------------------------------------

  private handleLine(line: string): void {
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(line);
    } catch {
      // A corrupted (non-JSON) frame means the JSONL stream framing can no
      // longer be trusted. Surface a typed protocol fault to every pending
      // caller and stream consumer rather than silently dropping the line,
      // which would launder a corrupted stream into a hang / missing response.
      this.failTransport(
        new MeerkatError(
          "PROTOCOL_ERROR",
          "Corrupted JSON-RPC frame: stream framing is no longer trustworthy",
        ),
      );
      return;
    }

    // Server→client callback request (has both id and method).
    if ("id" in data && "method" in data) {
      this.handleCallbackRequest(data);
      return;
    }

    if ("id" in data && typeof data.id === "number") {
      const pending = this.pendingRequests.get(data.id);
      if (pending) {
        this.pendingRequests.delete(data.id);
        const error = data.error as Record<string, unknown> | null | undefined;
        if (error) {
          const normalized = MeerkatClient.parseRpcErrorPayload(error);
          const errorData =
            typeof error.data === "object" &&
            error.data !== null &&
            !Array.isArray(error.data)
              ? (error.data as Record<string, unknown>)
              : undefined;
          const semanticCode =
            typeof errorData?.code === "string" && errorData.code.length > 0
              ? errorData.code
              : undefined;
          const rpcCode =
            typeof error.code === "number" || typeof error.code === "string"
              ? error.code
              : "UNKNOWN";
          pending.reject(
            meerkatErrorFromJsonRpcCode(
              rpcCode,
              semanticCode,
              normalized.message,
              normalized.details,
            ),
          );
        } else {
          pending.resolve((data.result ?? {}) as Record<string, unknown>);
        }
      }
    } else if ("method" in data) {
      const method = String(data.method ?? "");
      const params = (data.params ?? {}) as Record<string, unknown>;
      if (method === "session/stream_event" || method === "mob/stream_event") {
        const streamId = String(params.stream_id ?? "");
        const queue = this.streamQueues.get(streamId);
        const rawEvent = (params.event ?? params) as Record<string, unknown>;
        // Preserve scope fields when present (delegated-branch / mob-member scoped events).
        const scopeId = params.scope_id as string | undefined;
        const scopePath = params.scope_path as unknown[] | undefined;
        const event: Record<string, unknown> =
          scopeId != null || scopePath != null
            ? { event: rawEvent, scope_id: scopeId, scope_path: scopePath }
            : rawEvent;
        if (queue && event) {
          queue.put(event);
        } else if (streamId && event) {
          const buffered = this.unmatchedStandaloneStreamBuffer.get(streamId) ?? [];
          buffered.push(event);
          this.unmatchedStandaloneStreamBuffer.set(streamId, buffered);
        }
        return;
      }
      if (method === "session/stream_end" || method === "mob/stream_end") {
        const streamId = String(params.stream_id ?? "");
        if (streamId) {
          this.streamTerminalOutcomes.set(streamId, params);
        }
        const queue = this.streamQueues.get(streamId);
        if (queue) {
          queue.put(null);
        } else if (streamId) {
          this.unmatchedStandaloneStreamEnd.set(streamId, params);
        }
        return;
      }
      const sessionId = String(params.session_id ?? "");
      const rawEvent = params.event;
      const event: Record<string, unknown> =
        typeof rawEvent === "object" && rawEvent !== null && !Array.isArray(rawEvent)
          ? (rawEvent as Record<string, unknown>)
          : { invalid_event_envelope: rawEvent };
      const queue = this.eventQueues.get(sessionId);
      if (queue) {
        queue.put(event);
      } else if (this.pendingStreamQueues.size > 0) {
        // A stream is pending but its session_id is not yet bound. Buffer by
        // session_id; the create response that binds this session_id drains
        // exactly this buffer into the matching request's queue.
        const buffered = this.unmatchedStreamBuffer.get(sessionId) ?? [];
        buffered.push(event);
        this.unmatchedStreamBuffer.set(sessionId, buffered);
      }
    }
  }

  private static parseRpcErrorPayload(error: Record<string, unknown>): {
    code: string;
    message: string;
    details?: unknown;
  } {
    const rawData = error.data;
    if (typeof rawData === "object" && rawData !== null) {
      const parsed = rawData as Record<string, unknown>;
      return {
        code: String(parsed.code ?? error.code ?? "UNKNOWN"),
        message: String(parsed.message ?? error.message ?? "Unknown error"),
        details: parsed.details ?? parsed.reason ?? rawData,
      };
    }
    // The server's typed error projection is `error.data` ({code, message,
    // details}). `error.message` is presentation text only — it is never
    // parsed as JSON to recover typed fields, so SDK error semantics cannot
    // depend on message-string folklore.
    return {
      code: String(error.code ?? "UNKNOWN"),
      message: String(error.message ?? "Unknown error"),
      details: error.data,
    };
  }

  private request<M extends RpcMethodName>(
    method: M,
    params: RpcMethodContracts[M]["params"],
  ): Promise<RpcMethodContracts[M]["result"]> {
    if (this.transportFault) {
      throw this.transportFault;
    }
    if (!this.process?.stdin) {
      throw new MeerkatError("NOT_CONNECTED", "Client not connected");
    }

    this.requestId++;
    const id = this.requestId;
    const rpcRequest = { jsonrpc: "2.0", id, method, params };
    const promise = this.registerRequest<RpcMethodContracts[M]["result"]>(id);
    this.process.stdin!.write(JSON.stringify(rpcRequest) + "\n");
    return promise;
  }

  private registerRequest<T = Record<string, unknown>>(id: number): Promise<T> {
    return new Promise((resolve, reject) => {
      this.pendingRequests.set(id, {
        resolve: (value) => resolve(value as T),
        reject,
      });
    });
  }

  // -- Static helpers -----------------------------------------------------

  private static requireRecord(
    raw: unknown,
    field: string,
    context: string,
  ): Record<string, unknown> {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: missing ${field}`);
    }
    return raw as Record<string, unknown>;
  }

  private static optionalRecord(raw: unknown): Record<string, unknown> | undefined {
    if (raw === undefined || raw === null) {
      return undefined;
    }
    if (typeof raw !== "object" || Array.isArray(raw)) {
      return undefined;
    }
    return raw as Record<string, unknown>;
  }

  private static requireStringField(
    raw: Record<string, unknown>,
    field: string,
    context: string,
  ): string {
    const value = raw[field];
    if (typeof value !== "string" || value.length === 0) {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: missing ${field}`);
    }
    return value;
  }

  private static requirePresentStringField(
    raw: Record<string, unknown>,
    field: string,
    context: string,
  ): string {
    const value = raw[field];
    if (typeof value !== "string") {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: missing ${field}`);
    }
    return value;
  }

  private static requireOwnField(
    raw: Record<string, unknown>,
    field: string,
    context: string,
  ): unknown {
    if (!Object.prototype.hasOwnProperty.call(raw, field)) {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: missing ${field}`);
    }
    return raw[field];
  }

  private static requireClosedStringField(
    raw: Record<string, unknown>,
    field: string,
    allowed: readonly string[],
    context: string,
  ): string {
    const value = MeerkatClient.requirePresentStringField(raw, field, context);
    if (!allowed.includes(value)) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: unsupported ${field} ${JSON.stringify(value)}`,
      );
    }
    return value;
  }

  private static validateOptionalStringField(
    raw: Record<string, unknown>,
    field: string,
    context: string,
  ): void {
    if (
      Object.prototype.hasOwnProperty.call(raw, field) &&
      typeof raw[field] !== "string"
    ) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: ${field} must be string`,
      );
    }
  }

  private static validateOptionalBooleanField(
    raw: Record<string, unknown>,
    field: string,
    context: string,
  ): void {
    if (
      Object.prototype.hasOwnProperty.call(raw, field) &&
      typeof raw[field] !== "boolean"
    ) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: ${field} must be boolean`,
      );
    }
  }

  private static requireNumberField(
    raw: Record<string, unknown>,
    field: string,
    context: string,
    displayField = field,
  ): number {
    if (!(field in raw)) {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: missing ${displayField}`);
    }
    const value = raw[field];
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: ${displayField} must be number`);
    }
    return value;
  }

  /**
   * Require a wire count/total field (Rust `usize`/`u64`). A present value
   * that is fractional, negative, or outside JavaScript's lossless integer
   * range can never be represented faithfully, so it is a contract violation
   * and fails closed instead of being accepted as an any-finite-number.
   * Mirrors the web SDK `requireNonNegativeIntegerField` and Python
   * `_require_non_negative_integer_field`.
   */
  private static requireNonNegativeIntegerField(
    raw: Record<string, unknown>,
    field: string,
    context: string,
    displayField = field,
  ): number {
    const value = MeerkatClient.requireNumberField(raw, field, context, displayField);
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: ${displayField} must be a non-negative integer`,
      );
    }
    return value;
  }

  /**
   * Return an optional wire string, failing closed on malformed shapes.
   * An absent or `null` field yields `undefined`; a field that is
   * present-but-non-string is a contract violation and throws
   * `INVALID_RESPONSE` rather than being coerced with `String(...)`. Mirrors
   * the web SDK `optionalStringField` and Python `_optional_string_field`.
   */
  private static optionalStringField(
    raw: Record<string, unknown>,
    field: string,
    context: string,
    displayField = field,
  ): string | undefined {
    const value = raw[field];
    if (value == null) {
      return undefined;
    }
    if (typeof value !== "string") {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: ${displayField} must be string`,
      );
    }
    return value;
  }

  private static validateGeneratedContentBlock(
    raw: Record<string, unknown>,
    context: string,
    systemNoticeContent: boolean,
  ): void {
    const allowed = systemNoticeContent
      ? ["text", "image", "video", "structured", "skill_context"]
      : ["text", "image", "video", "structured", "unknown"];
    const type = MeerkatClient.requireClosedStringField(
      raw,
      "type",
      allowed,
      context,
    );
    if (type === "text") {
      MeerkatClient.requirePresentStringField(raw, "text", context);
    } else if (type === "image") {
      MeerkatClient.requirePresentStringField(raw, "media_type", context);
    } else if (type === "video") {
      MeerkatClient.requirePresentStringField(raw, "media_type", context);
      MeerkatClient.requireNonNegativeIntegerField(raw, "duration_ms", context);
    } else if (type === "structured") {
      MeerkatClient.requireOwnField(raw, "data", context);
    } else if (type === "skill_context") {
      const skillKey = MeerkatClient.requireRecord(raw.skill_key, "skill_key", context);
      MeerkatClient.requireStringField(skillKey, "source_uuid", `${context}: skill_key`);
      MeerkatClient.requireStringField(skillKey, "skill_name", `${context}: skill_key`);
      MeerkatClient.requirePresentStringField(raw, "text", context);
    }
  }

  private static validateOptionalMetaRecord(
    raw: Record<string, unknown>,
    context: string,
  ): void {
    if (Object.prototype.hasOwnProperty.call(raw, "meta")) {
      MeerkatClient.requireRecord(raw.meta, "meta", context);
    }
  }

  private static validateToolConfigStatus(
    raw: unknown,
    context: string,
  ): void {
    const status = MeerkatClient.requireRecord(raw, "status_info", context);
    const kind = MeerkatClient.requireClosedStringField(
      status,
      "kind",
      [
        "boundary_applied",
        "deferred_catalog_delta",
        "warning_failed_closed",
        "external_tool_delta",
      ],
      context,
    );
    if (kind === "boundary_applied") {
      MeerkatClient.requireBooleanField(status, "base_changed", context);
      MeerkatClient.requireNonNegativeIntegerField(status, "revision", context);
      MeerkatClient.requireBooleanField(status, "visible_changed", context);
    } else if (kind === "deferred_catalog_delta") {
      MeerkatClient.requireNonNegativeIntegerField(status, "added_hidden_count", context);
      MeerkatClient.requireNonNegativeIntegerField(status, "pending_source_count", context);
      MeerkatClient.requireNonNegativeIntegerField(status, "removed_hidden_count", context);
    } else if (kind === "warning_failed_closed") {
      MeerkatClient.requirePresentStringField(status, "error", context);
    } else {
      MeerkatClient.requireClosedStringField(
        status,
        "phase",
        ["pending", "applied", "draining", "forced", "failed"],
        context,
      );
      MeerkatClient.validateOptionalStringField(status, "detail", context);
    }
  }

  private static validateToolConfigPayload(
    raw: unknown,
    context: string,
  ): void {
    const payload = MeerkatClient.requireRecord(raw, "payload", context);
    MeerkatClient.requireClosedStringField(
      payload,
      "operation",
      ["add", "remove", "reload"],
      context,
    );
    MeerkatClient.requireBooleanField(payload, "persisted", context);
    MeerkatClient.requirePresentStringField(payload, "target", context);
    MeerkatClient.validateToolConfigStatus(payload.status_info, `${context}: status_info`);
    if (Object.prototype.hasOwnProperty.call(payload, "applied_at_turn")) {
      MeerkatClient.requireNonNegativeIntegerField(payload, "applied_at_turn", context);
    }
    if (Object.prototype.hasOwnProperty.call(payload, "domain")) {
      MeerkatClient.requireClosedStringField(
        payload,
        "domain",
        ["tool_scope", "deferred_catalog"],
        context,
      );
    }
    if (Object.prototype.hasOwnProperty.call(payload, "deferred_catalog_delta")) {
      const delta = MeerkatClient.requireRecord(
        payload.deferred_catalog_delta,
        "deferred_catalog_delta",
        context,
      );
      for (const field of [
        "added_hidden_names",
        "pending_sources",
        "removed_hidden_names",
      ] as const) {
        if (Object.prototype.hasOwnProperty.call(delta, field)) {
          MeerkatClient.requireStringArray(delta[field], `${context}: ${field}`);
        }
      }
    }
  }

  private static validateSystemNoticeBlock(
    raw: Record<string, unknown>,
    context: string,
  ): void {
    const type = MeerkatClient.requireClosedStringField(
      raw,
      "type",
      [
        "comms",
        "external_event",
        "tool_config",
        "mcp",
        "background_job",
        "auth",
        "runtime_notice",
        "unknown",
      ],
      context,
    );
    const validateContent = (): void => {
      if (!Object.prototype.hasOwnProperty.call(raw, "content")) return;
      MeerkatClient.requireRecordArray(raw.content, `${context}: content`).forEach(
        (block, index) =>
          MeerkatClient.validateGeneratedContentBlock(
            block,
            `${context}: content[${index}]`,
            true,
          ),
      );
    };

    if (type === "comms") {
      MeerkatClient.requireClosedStringField(
        raw,
        "direction",
        ["incoming", "outgoing", "internal"],
        context,
      );
      MeerkatClient.requirePresentStringField(raw, "kind", context);
      for (const field of ["intent", "request_id", "status", "summary"] as const) {
        MeerkatClient.validateOptionalStringField(raw, field, context);
      }
      if (Object.prototype.hasOwnProperty.call(raw, "peer")) {
        const peer = MeerkatClient.requireRecord(raw.peer, "peer", context);
        MeerkatClient.requireStringField(peer, "id", `${context}: peer`);
        MeerkatClient.validateOptionalStringField(peer, "display_name", `${context}: peer`);
      }
      if (Object.prototype.hasOwnProperty.call(raw, "sender_taint")) {
        MeerkatClient.requireClosedStringField(
          raw,
          "sender_taint",
          ["clean", "tainted"],
          context,
        );
      }
      validateContent();
    } else if (type === "external_event") {
      MeerkatClient.requirePresentStringField(raw, "event_type", context);
      MeerkatClient.requirePresentStringField(raw, "source", context);
      MeerkatClient.validateOptionalStringField(raw, "body", context);
      MeerkatClient.validateOptionalStringField(raw, "summary", context);
      validateContent();
    } else if (type === "tool_config") {
      MeerkatClient.validateToolConfigPayload(raw.payload, `${context}: payload`);
    } else if (type === "mcp") {
      for (const field of ["detail", "server_id"] as const) {
        MeerkatClient.validateOptionalStringField(raw, field, context);
      }
      if (Object.prototype.hasOwnProperty.call(raw, "operation")) {
        MeerkatClient.requireClosedStringField(
          raw,
          "operation",
          ["add", "remove", "reload"],
          context,
        );
      }
      if (Object.prototype.hasOwnProperty.call(raw, "pending_sources")) {
        MeerkatClient.requireStringArray(raw.pending_sources, `${context}: pending_sources`);
      }
      MeerkatClient.validateOptionalBooleanField(raw, "persisted", context);
      if (Object.prototype.hasOwnProperty.call(raw, "phase")) {
        MeerkatClient.requireClosedStringField(
          raw,
          "phase",
          ["pending", "applied", "draining", "forced", "failed"],
          context,
        );
      }
    } else if (type === "background_job") {
      MeerkatClient.requireStringField(raw, "job_id", context);
      MeerkatClient.requireClosedStringField(
        raw,
        "status",
        ["completed", "failed", "aborted", "cancelled", "retired", "terminated"],
        context,
      );
      MeerkatClient.validateOptionalStringField(raw, "detail", context);
      MeerkatClient.validateOptionalStringField(raw, "display_name", context);
    } else if (type === "auth") {
      MeerkatClient.requirePresentStringField(raw, "state", context);
      MeerkatClient.validateOptionalStringField(raw, "binding", context);
      MeerkatClient.validateOptionalStringField(raw, "detail", context);
    } else if (type === "runtime_notice") {
      MeerkatClient.requirePresentStringField(raw, "category", context);
      MeerkatClient.validateOptionalStringField(raw, "detail", context);
    } else {
      MeerkatClient.validateOptionalStringField(raw, "summary", context);
    }
  }

  private static validateWireAssistantBlock(
    raw: Record<string, unknown>,
    context: string,
  ): void {
    const blockType = MeerkatClient.requireClosedStringField(
      raw,
      "block_type",
      [
        "text",
        "transcript",
        "reasoning",
        "tool_use",
        "server_tool_content",
        "image",
        "unknown",
      ],
      context,
    );
    if (blockType === "unknown") return;

    const data = MeerkatClient.requireRecord(raw.data, "data", context);
    MeerkatClient.validateOptionalMetaRecord(data, `${context}: data`);
    if (blockType === "text") {
      MeerkatClient.requirePresentStringField(data, "text", `${context}: data`);
    } else if (blockType === "transcript") {
      MeerkatClient.requirePresentStringField(data, "text", `${context}: data`);
      const source = MeerkatClient.requireRecord(data.source, "source", `${context}: data`);
      const sourceKind = MeerkatClient.requireClosedStringField(
        source,
        "kind",
        ["spoken", "unknown"],
        `${context}: data.source`,
      );
      if (sourceKind === "unknown") {
        MeerkatClient.requirePresentStringField(
          source,
          "debug",
          `${context}: data.source`,
        );
      }
    } else if (blockType === "reasoning") {
      MeerkatClient.validateOptionalStringField(data, "text", `${context}: data`);
    } else if (blockType === "tool_use") {
      MeerkatClient.requireOwnField(data, "args", `${context}: data`);
      MeerkatClient.requireStringField(data, "id", `${context}: data`);
      MeerkatClient.requireStringField(data, "name", `${context}: data`);
    } else if (blockType === "server_tool_content") {
      MeerkatClient.requireOwnField(data, "content", `${context}: data`);
      MeerkatClient.requireRecord(data.kind, "kind", `${context}: data`);
      MeerkatClient.validateOptionalStringField(data, "id", `${context}: data`);
    } else {
      MeerkatClient.requireRecord(data.blob_ref, "blob_ref", `${context}: data`);
      MeerkatClient.requireNonNegativeIntegerField(data, "height", `${context}: data`);
      MeerkatClient.requireStringField(data, "image_id", `${context}: data`);
      MeerkatClient.requirePresentStringField(data, "media_type", `${context}: data`);
      MeerkatClient.requireRecord(data.meta, "meta", `${context}: data`);
      MeerkatClient.requireRecord(
        data.revised_prompt,
        "revised_prompt",
        `${context}: data`,
      );
      MeerkatClient.requireNonNegativeIntegerField(data, "width", `${context}: data`);
    }
  }

  private static validateWireToolResult(
    raw: Record<string, unknown>,
    context: string,
  ): void {
    MeerkatClient.requireStringField(raw, "tool_use_id", context);
    const content = MeerkatClient.requireOwnField(raw, "content", context);
    if (typeof content !== "string" && !Array.isArray(content)) {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: invalid content`);
    }
    if (Array.isArray(content)) {
      MeerkatClient.requireRecordArray(content, `${context}: content`).forEach(
        (block, index) =>
          MeerkatClient.validateGeneratedContentBlock(
            block,
            `${context}: content[${index}]`,
            false,
          ),
      );
    }
    MeerkatClient.validateOptionalBooleanField(raw, "is_error", context);
  }

  private static validateWireHistoryRow(
    raw: Record<string, unknown>,
    context: string,
  ): void {
    const role = MeerkatClient.requireStringField(raw, "role", context);
    MeerkatClient.requireStringField(raw, "created_at", context);
    for (const field of ["interaction_id", "run_id"] as const) {
      if (
        Object.prototype.hasOwnProperty.call(raw, field) &&
        (typeof raw[field] !== "string" || raw[field].length === 0)
      ) {
        throw new MeerkatError(
          "INVALID_RESPONSE",
          `${context}: ${field} must be non-empty string`,
        );
      }
    }
    if (role === "system") {
      MeerkatClient.requirePresentStringField(raw, "content", context);
      return;
    }
    if (role === "system_notice") {
      const kind = MeerkatClient.requireStringField(raw, "kind", context);
      if (
        ![
          "generic",
          "comms",
          "external_event",
          "mcp_pending",
          "mcp",
          "background_job",
          "tool_scope",
          "tool_scope_warning",
          "auth_reauth_required",
        ].includes(kind)
      ) {
        throw new MeerkatError(
          "INVALID_RESPONSE",
          `${context}: unsupported kind ${JSON.stringify(kind)}`,
        );
      }
      MeerkatClient.validateOptionalStringField(raw, "body", context);
      if (Object.prototype.hasOwnProperty.call(raw, "blocks")) {
        MeerkatClient.requireRecordArray(raw.blocks, `${context}: blocks`).forEach(
          (block, index) =>
            MeerkatClient.validateSystemNoticeBlock(
              block,
              `${context}: blocks[${index}]`,
            ),
        );
      }
      return;
    }
    if (role === "user") {
      if (raw.content == null || (!Array.isArray(raw.content) && typeof raw.content !== "string")) {
        throw new MeerkatError("INVALID_RESPONSE", `${context}: missing content`);
      }
      if (Array.isArray(raw.content)) {
        MeerkatClient.requireRecordArray(raw.content, `${context}: content`).forEach(
          (block, index) =>
            MeerkatClient.validateGeneratedContentBlock(
              block,
              `${context}: content[${index}]`,
              false,
            ),
        );
      }
      if (Object.prototype.hasOwnProperty.call(raw, "transcript_role")) {
        MeerkatClient.requireClosedStringField(
          raw,
          "transcript_role",
          ["conversational", "compaction_summary", "injected_context"],
          context,
        );
      }
      return;
    }
    if (role === "block_assistant") {
      MeerkatClient.requireRecordArray(raw.blocks, `${context}: blocks`).forEach(
        (block, index) =>
          MeerkatClient.validateWireAssistantBlock(
            block,
            `${context}: blocks[${index}]`,
          ),
      );
      const stopReason = MeerkatClient.requireStringField(raw, "stop_reason", context);
      if (
        ![
          "end_turn",
          "tool_use",
          "max_tokens",
          "stop_sequence",
          "content_filter",
          "cancelled",
        ].includes(stopReason)
      ) {
        throw new MeerkatError(
          "INVALID_RESPONSE",
          `${context}: unsupported stop_reason ${JSON.stringify(stopReason)}`,
        );
      }
      return;
    }
    if (role === "tool_results") {
      MeerkatClient.requireRecordArray(raw.results, `${context}: results`).forEach(
        (result, index) =>
          MeerkatClient.validateWireToolResult(
            result,
            `${context}: results[${index}]`,
          ),
      );
      return;
    }
    throw new MeerkatError(
      "INVALID_RESPONSE",
      `${context}: unsupported role ${JSON.stringify(role)}`,
    );
  }

  private static parseMobHostCapabilities(
    raw: unknown,
    context: string,
  ): RpcWireHostCapabilityFlags {
    const capabilities = MeerkatClient.requireRecord(raw, "capabilities", context);
    for (const field of [
      "approval_forwarding",
      "autonomous_members",
      "durable_sessions",
      "hard_cancel_member",
      "mcp",
      "memory_store",
    ] as const) {
      MeerkatClient.requireBooleanField(capabilities, field, context);
    }
    const trackedInputCancel = Object.prototype.hasOwnProperty.call(
      capabilities,
      "tracked_input_cancel",
    )
      ? MeerkatClient.requireBooleanField(capabilities, "tracked_input_cancel", context)
      : false;
    MeerkatClient.requireStringField(capabilities, "engine_version", context);
    const protocolMin = MeerkatClient.requireNonNegativeIntegerField(
      capabilities,
      "protocol_min",
      context,
    );
    const protocolMax = MeerkatClient.requireNonNegativeIntegerField(
      capabilities,
      "protocol_max",
      context,
    );
    if (protocolMin > protocolMax) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: protocol_min exceeds protocol_max`,
      );
    }
    const liveEndpoint = MeerkatClient.optionalStringField(
      capabilities,
      "live_endpoint",
      context,
    );
    if (liveEndpoint === "") {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: live_endpoint must be non-empty`,
      );
    }
    const resolvableProviders = Object.prototype.hasOwnProperty.call(
      capabilities,
      "resolvable_providers",
    )
      ? MeerkatClient.requireStringArray(
          capabilities.resolvable_providers,
          `${context}: resolvable_providers`,
        )
      : undefined;
    return {
      ...capabilities,
      tracked_input_cancel: trackedInputCancel,
      ...(resolvableProviders !== undefined
        ? { resolvable_providers: resolvableProviders }
        : {}),
    } as unknown as RpcWireHostCapabilityFlags;
  }

  private static parseMobHostStatus(raw: unknown, context: string): RpcMobHostStatus {
    const host = MeerkatClient.requireRecord(raw, "host", context);
    const bindPhase = MeerkatClient.requireStringField(host, "bind_phase", context);
    if (bindPhase !== "requested" && bindPhase !== "bound") {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: unsupported bind_phase ${JSON.stringify(bindPhase)}`,
      );
    }
    MeerkatClient.requireStringField(host, "host_id", context);
    MeerkatClient.requireNonNegativeIntegerField(
      host,
      "materialized_member_count",
      context,
    );
    const authorityEpoch =
      host.authority_epoch == null
        ? undefined
        : MeerkatClient.requireNonNegativeIntegerField(host, "authority_epoch", context);
    const endpoint = MeerkatClient.optionalStringField(host, "endpoint", context);
    const capabilities =
      host.capabilities == null
        ? undefined
        : MeerkatClient.parseMobHostCapabilities(
            host.capabilities,
            `${context}: capabilities`,
          );
    if (
      bindPhase === "bound" &&
      (authorityEpoch === undefined || !endpoint || capabilities === undefined)
    ) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: bound host missing committed authority facts`,
      );
    }
    if (
      bindPhase === "requested" &&
      (authorityEpoch !== undefined || endpoint !== undefined || capabilities !== undefined)
    ) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: requested host must not claim committed authority facts`,
      );
    }
    if (
      host.control_reachability != null &&
      !["reachable", "stale", "unreachable", "unknown"].includes(
        String(host.control_reachability),
      )
    ) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: unsupported control_reachability`,
      );
    }
    if (host.last_seen_ms != null) {
      MeerkatClient.requireNonNegativeIntegerField(host, "last_seen_ms", context);
    }
    MeerkatClient.optionalStringField(host, "freshness_reason", context);
    return (capabilities === undefined
      ? host
      : { ...host, capabilities }) as unknown as RpcMobHostStatus;
  }

  private static parseRouteInstallObligation(
    raw: unknown,
    context: string,
  ): RpcWireRouteInstallObligation {
    const obligation = MeerkatClient.requireRecord(raw, "obligation", context);
    MeerkatClient.requireStringField(obligation, "edge_a", context);
    MeerkatClient.requireStringField(obligation, "edge_b", context);
    MeerkatClient.requireStringField(obligation, "host", context);
    return obligation as unknown as RpcWireRouteInstallObligation;
  }

  private static requireBooleanField(
    raw: Record<string, unknown>,
    field: string,
    context: string,
  ): boolean {
    const value = raw[field];
    if (typeof value !== "boolean") {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: ${field} must be boolean`);
    }
    return value;
  }

  private static requireStringArrayField(
    raw: Record<string, unknown>,
    field: string,
    context: string,
  ): string[] {
    const value = raw[field];
    if (!Array.isArray(value)) {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: ${field} must be array`);
    }
    return value.map((item, index) => {
      if (typeof item !== "string" || item.length === 0) {
        throw new MeerkatError(
          "INVALID_RESPONSE",
          `${context}: ${field}[${index}] must be string`,
        );
      }
      return item;
    });
  }

  private static parseWireMobMemberStatus(
    raw: unknown,
    message: string,
  ): WireMobMemberStatus {
    if (
      typeof raw === "string" &&
      (["active", "retiring", "broken", "completed", "unknown"] as const).includes(
        raw as WireMobMemberStatus,
      )
    ) {
      return raw as WireMobMemberStatus;
    }
    throw new MeerkatError("INVALID_RESPONSE", message);
  }

  private static parseWireReachability(
    raw: unknown,
    field: string,
  ): WireReachability | undefined {
    if (raw == null) {
      return undefined;
    }
    const values: readonly WireReachability[] = [
      "reachable",
      "stale",
      "unreachable",
      "unknown",
    ];
    if (typeof raw === "string" && values.includes(raw as WireReachability)) {
      return raw as WireReachability;
    }
    throw new MeerkatError(
      "INVALID_RESPONSE",
      `Invalid mob/member_status response: ${field} must be a valid reachability`,
    );
  }

  private static parseMobPeerConnectivitySnapshot(
    raw: unknown,
    context: string,
  ): MobPeerConnectivitySnapshot {
    const record = MeerkatClient.requireRecord(
      raw,
      "peer_connectivity.snapshot",
      context,
    );
    const unreachableRaw = record.unreachable_peers;
    let unreachablePeers: MobUnreachablePeer[] = [];
    if (unreachableRaw !== undefined) {
      if (!Array.isArray(unreachableRaw)) {
        throw new MeerkatError(
          "INVALID_RESPONSE",
          `${context}: peer_connectivity.snapshot.unreachable_peers must be array`,
        );
      }
      unreachablePeers = unreachableRaw.map((peer) => {
        const peerRecord = MeerkatClient.requireRecord(
          peer,
          "peer_connectivity.snapshot.unreachable_peers entry",
          context,
        );
        const peerId = MeerkatClient.requireStringField(peerRecord, "peer", context);
        const reason = MeerkatClient.optionalStringField(
          peerRecord,
          "reason",
          context,
          "peer_connectivity.snapshot.unreachable_peers entry reason",
        );
        return reason === undefined ? { peer: peerId } : { peer: peerId, reason };
      });
    }
    return {
      reachablePeerCount: MeerkatClient.requireNonNegativeIntegerField(
        record,
        "reachable_peer_count",
        context,
        "peer_connectivity.snapshot.reachable_peer_count",
      ),
      unknownPeerCount: MeerkatClient.requireNonNegativeIntegerField(
        record,
        "unknown_peer_count",
        context,
        "peer_connectivity.snapshot.unknown_peer_count",
      ),
      unreachablePeers,
    };
  }

  /**
   * Fail-closed parser for the tri-state `peer_connectivity` projection.
   * Switches on the variant `status` tag and THROWS on any unknown tag rather
   * than coalescing it into a permissive default. Absent connectivity (the
   * field was omitted) returns `undefined`. Mirrors the web SDK
   * `parseMobPeerConnectivity` and Python `_parse_mob_peer_connectivity`.
   */
  private static parseMobPeerConnectivity(
    raw: unknown,
    context: string,
  ): MobPeerConnectivity | undefined {
    if (raw == null) {
      return undefined;
    }
    const record = MeerkatClient.requireRecord(raw, "peer_connectivity", context);
    const status = record.status;
    switch (status) {
      case "not_applicable":
        return { status: "not_applicable" };
      case "probe_timed_out":
        return { status: "probe_timed_out" };
      case "known":
        return {
          status: "known",
          snapshot: MeerkatClient.parseMobPeerConnectivitySnapshot(
            record.snapshot,
            context,
          ),
        };
      default:
        throw new MeerkatError(
          "INVALID_RESPONSE",
          `${context}: unknown peer_connectivity status ${JSON.stringify(status)}`,
        );
    }
  }

  /**
   * Parse a runtime-emitted handling mode against the closed WireHandlingMode
   * union. Fails closed on an absent or unrecognized variant — the SDK never
   * substitutes the client-requested mode for the runtime receipt. Mirrors the
   * web SDK `parseWireHandlingMode` and Python `_parse_wire_handling_mode`.
   */
  private static parseWireHandlingMode(
    raw: unknown,
    message: string,
  ): MobHandlingMode {
    if (raw === "queue" || raw === "steer") {
      return raw;
    }
    throw new MeerkatError("INVALID_RESPONSE", message);
  }

  /**
   * Parse a capability status against the externally-tagged Rust
   * `CapabilityStatus` enum: either the bare string variant (e.g. "Available")
   * or a single-key object like `{ DisabledByPolicy: {...} }`. The capability
   * vocabulary evolves, so we do not whitelist variants, but we fail closed on
   * an absent or otherwise unparseable status rather than fabricating a
   * permissive default. Mirrors Python `_parse_wire_capability_status`.
   */
  private static parseWireCapabilityStatus(raw: unknown, context: string): string {
    if (typeof raw === "string" && raw.length > 0) {
      return raw;
    }
    if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
      const firstKey = Object.keys(raw as Record<string, unknown>)[0];
      if (typeof firstKey === "string" && firstKey.length > 0) {
        return firstKey;
      }
    }
    throw new MeerkatError(
      "INVALID_RESPONSE",
      `${context}: missing or invalid capability status`,
    );
  }

  /**
   * Parse a single capabilities/get entry, failing closed on absent/malformed
   * required fields rather than coercing to empty strings or a permissive
   * status default. Mirrors the Python capability parser.
   */
  private static parseWireCapabilityEntry(raw: unknown): Capability {
    const context = "Invalid capabilities/get response";
    const record = MeerkatClient.requireRecord(raw, "capability", context);
    return {
      id: MeerkatClient.requireStringField(record, "id", context),
      description: MeerkatClient.requireStringField(record, "description", context),
      status: MeerkatClient.parseWireCapabilityStatus(record.status, context),
    };
  }

  /**
   * Validate the generated `LiveOpenResult` contract without projecting or
   * normalizing its transport bootstrap. In particular, single-use tokens are
   * returned byte-for-byte as received and are never logged.
   */
  private static parseLiveOpenResult(
    raw: unknown,
    context: string,
  ): LiveOpenResult {
    const result = MeerkatClient.requireRecord(raw, "result", context);
    MeerkatClient.requireStringField(result, "channel_id", context);

    const capabilities = MeerkatClient.requireRecord(
      result.capabilities,
      "capabilities",
      context,
    );
    for (const field of [
      "audio_in",
      "audio_out",
      "barge_in_supported",
      "image_in",
      "provider_native_resume",
      "text_in",
      "text_out",
      "transcript_supported",
      "video_in",
    ] as const) {
      MeerkatClient.requireBooleanField(capabilities, field, `${context}: capabilities`);
    }

    const continuity = MeerkatClient.requireRecord(
      result.continuity,
      "continuity",
      context,
    );
    const continuityMode = MeerkatClient.requireClosedStringField(
      continuity,
      "mode",
      [
        "fresh",
        "transcript_only",
        "degraded",
        "provider_native_resume",
        "unknown",
      ],
      `${context}: continuity`,
    );
    if (continuityMode === "provider_native_resume") {
      MeerkatClient.requireStringField(
        continuity,
        "provider_session_id",
        `${context}: continuity`,
      );
    } else if (continuityMode === "unknown") {
      MeerkatClient.requirePresentStringField(
        continuity,
        "debug",
        `${context}: continuity`,
      );
    }

    const transport = MeerkatClient.requireRecord(
      result.transport,
      "transport",
      context,
    );
    const transportKind = MeerkatClient.requireClosedStringField(
      transport,
      "transport",
      ["websocket", "webrtc", "unknown"],
      `${context}: transport`,
    );
    if (transportKind === "websocket") {
      MeerkatClient.requireStringField(transport, "url", `${context}: transport`);
      MeerkatClient.requireStringField(transport, "token", `${context}: transport`);
    } else if (transportKind === "webrtc") {
      MeerkatClient.requireStringField(
        transport,
        "answer_method",
        `${context}: transport`,
      );
      MeerkatClient.requireStringField(transport, "token", `${context}: transport`);
      MeerkatClient.validateOptionalStringField(
        transport,
        "http_url",
        `${context}: transport`,
      );
    } else {
      MeerkatClient.requirePresentStringField(
        transport,
        "debug",
        `${context}: transport`,
      );
    }

    return result as unknown as LiveOpenResult;
  }

  /** Validate the generated `LiveStatusResult` closed status vocabulary. */
  private static parseLiveStatusResult(
    raw: unknown,
    context: string,
  ): LiveStatusResult {
    const result = MeerkatClient.requireRecord(raw, "result", context);
    MeerkatClient.requireStringField(result, "channel_id", context);
    const status = MeerkatClient.requireRecord(result.status, "status", context);
    const statusKind = MeerkatClient.requireClosedStringField(
      status,
      "status",
      ["idle", "opening", "ready", "degraded", "closing", "closed", "unknown"],
      `${context}: status`,
    );
    if (statusKind === "degraded") {
      const reason = MeerkatClient.requireRecord(
        status.reason,
        "reason",
        `${context}: status`,
      );
      const reasonKind = MeerkatClient.requireClosedStringField(
        reason,
        "kind",
        [
          "rate_limited",
          "provider_throttled",
          "network_unstable",
          "other",
          "unknown",
        ],
        `${context}: status.reason`,
      );
      if (reasonKind === "other") {
        MeerkatClient.requirePresentStringField(
          reason,
          "detail",
          `${context}: status.reason`,
        );
      } else if (reasonKind === "unknown") {
        MeerkatClient.requirePresentStringField(
          reason,
          "debug",
          `${context}: status.reason`,
        );
      }
    } else if (statusKind === "unknown") {
      MeerkatClient.requirePresentStringField(status, "debug", `${context}: status`);
    }
    return result as unknown as LiveStatusResult;
  }

  private static parseLiveRefreshResult(raw: unknown): LiveRefreshResult {
    const context = "Invalid live/refresh response";
    const record = MeerkatClient.requireRecord(raw, "result", context);
    const status = MeerkatClient.requireStringField(record, "status", context);
    if (status !== "queued") {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: unsupported status ${JSON.stringify(status)}`,
      );
    }
    return {
      status,
    };
  }

  private static parseLiveCloseResult(raw: unknown): LiveCloseResult {
    const context = "Invalid live/close response";
    const record = MeerkatClient.requireRecord(raw, "result", context);
    const status = MeerkatClient.requireStringField(record, "status", context);
    if (status !== "closed") {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: unsupported status ${JSON.stringify(status)}`,
      );
    }
    return {
      status,
    };
  }

  private static parseSkillDiagnostics(raw: unknown): SkillRuntimeDiagnostics | undefined {
    if (raw == null) return undefined;
    const context = "Invalid run result";
    const data = MeerkatClient.requireRecord(raw, "skill_diagnostics", context);
    const sourceHealthRaw = MeerkatClient.requireRecord(
      data.source_health,
      "skill_diagnostics.source_health",
      context,
    );
    if (!Array.isArray(data.quarantined)) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: missing skill_diagnostics.quarantined`,
      );
    }

    const quarantined = data.quarantined.map((item, index) => {
      const record = MeerkatClient.requireRecord(
        item,
        `skill_diagnostics.quarantined[${index}]`,
        context,
      );
      const identity = MeerkatClient.requireRecord(
        record.identity,
        `skill_diagnostics.quarantined[${index}].identity`,
        context,
      );
      return {
        sourceUuid: MeerkatClient.requireStringField(identity, "source_uuid", context),
        skillId: MeerkatClient.requirePresentStringField(identity, "raw_id", context),
        location: MeerkatClient.requirePresentStringField(record, "location", context),
        errorCode: MeerkatClient.requirePresentStringField(record, "error_code", context),
        errorClass: MeerkatClient.requirePresentStringField(record, "error_class", context),
        message: MeerkatClient.requirePresentStringField(record, "message", context),
        firstSeenUnixSecs: MeerkatClient.requireNonNegativeIntegerField(
          record,
          "first_seen_unix_secs",
          context,
          "skill_diagnostics.quarantined.first_seen_unix_secs",
        ),
        lastSeenUnixSecs: MeerkatClient.requireNonNegativeIntegerField(
          record,
          "last_seen_unix_secs",
          context,
          "skill_diagnostics.quarantined.last_seen_unix_secs",
        ),
      };
    });

    return {
      sourceHealth: {
        state: MeerkatClient.requireStringField(sourceHealthRaw, "state", context),
        invalidRatio: MeerkatClient.requireNumberField(
          sourceHealthRaw,
          "invalid_ratio",
          context,
          "skill_diagnostics.source_health.invalid_ratio",
        ),
        invalidCount: MeerkatClient.requireNonNegativeIntegerField(
          sourceHealthRaw,
          "invalid_count",
          context,
          "skill_diagnostics.source_health.invalid_count",
        ),
        totalCount: MeerkatClient.requireNonNegativeIntegerField(
          sourceHealthRaw,
          "total_count",
          context,
          "skill_diagnostics.source_health.total_count",
        ),
        failureStreak: MeerkatClient.requireNonNegativeIntegerField(
          sourceHealthRaw,
          "failure_streak",
          context,
          "skill_diagnostics.source_health.failure_streak",
        ),
        handshakeFailed: MeerkatClient.requireBooleanField(
          sourceHealthRaw,
          "handshake_failed",
          context,
        ),
      },
      quarantined,
      // Omit the key entirely when absent: emitting `collectionFault:
      // undefined` makes strict deep-equality (and honest JSON round-trips)
      // diverge from the wire shape.
      ...(data.collection_fault !== undefined && data.collection_fault !== null
        ? { collectionFault: data.collection_fault }
        : {}),
    };
  }

  private static checkVersionCompatible(server: string, client: string): boolean {
    // Drive contract-version compatibility off the generated helper
    // (mirrors `ContractVersion::is_compatible_with`) instead of a hand-rolled
    // copy of the rule (dogma row #193).
    return isCompatibleWith(server, client);
  }

  static parseRunResult(data: Record<string, unknown>): RunResult {
    const context = "Invalid run result";
    const usageRaw = MeerkatClient.requireRecord(data.usage, "usage", context);
    const usage: Usage = {
      inputTokens: MeerkatClient.requireNumberField(
        usageRaw,
        "input_tokens",
        context,
        "usage.input_tokens",
      ),
      outputTokens: MeerkatClient.requireNumberField(
        usageRaw,
        "output_tokens",
        context,
        "usage.output_tokens",
      ),
      cacheCreationTokens: usageRaw?.cache_creation_tokens != null
        ? MeerkatClient.requireNumberField(
            usageRaw,
            "cache_creation_tokens",
            context,
            "usage.cache_creation_tokens",
          )
        : undefined,
      cacheReadTokens: usageRaw?.cache_read_tokens != null
        ? MeerkatClient.requireNumberField(
            usageRaw,
            "cache_read_tokens",
            context,
            "usage.cache_read_tokens",
          )
        : undefined,
    };

    const rawWarnings = data.schema_warnings;
    const schemaWarnings: SchemaWarning[] | undefined = rawWarnings == null
      ? undefined
      : MeerkatClient.requireRecordArray(rawWarnings, context).map(
          (w): SchemaWarning => ({
            provider: MeerkatClient.requirePresentStringField(w, "provider", context),
            path: MeerkatClient.requirePresentStringField(w, "path", context),
            message: MeerkatClient.requirePresentStringField(w, "message", context),
          }),
        );
    const rawExtractionError = data.extraction_error;
    const extractionError = rawExtractionError == null
      ? undefined
      : (() => {
          const extraction = MeerkatClient.requireRecord(
            rawExtractionError,
            "extraction_error",
            context,
          );
          return {
            lastOutput: MeerkatClient.requirePresentStringField(
              extraction,
              "last_output",
              context,
            ),
            attempts: MeerkatClient.requireNumberField(
              extraction,
              "attempts",
              context,
              "extraction_error.attempts",
            ),
            reason: MeerkatClient.requirePresentStringField(
              extraction,
              "reason",
              context,
            ),
          };
        })();

    return {
      sessionId: MeerkatClient.requireStringField(data, "session_id", context),
      sessionRef: MeerkatClient.optionalStringField(data, "session_ref", context),
      text: MeerkatClient.requirePresentStringField(data, "text", context),
      turns: MeerkatClient.requireNumberField(data, "turns", context),
      toolCalls: MeerkatClient.requireNumberField(data, "tool_calls", context),
      usage,
      terminalCauseKind:
        typeof data.terminal_cause_kind === "string"
          ? (data.terminal_cause_kind as RunResult["terminalCauseKind"])
          : undefined,
      structuredOutput: data.structured_output,
      extractionError,
      schemaWarnings,
      skillDiagnostics: MeerkatClient.parseSkillDiagnostics(data.skill_diagnostics),
    };
  }

  private static parseSessionLabels(
    raw: unknown,
    context: string,
  ): Readonly<Record<string, string>> {
    if (raw == null) {
      return {};
    }
    if (typeof raw !== "object" || Array.isArray(raw)) {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: labels must be object`);
    }
    return Object.fromEntries(
      Object.entries(raw as Record<string, unknown>).map(([key, value]) => [
        key,
        String(value),
      ]),
    );
  }

  static parseSessionSummary(data: Record<string, unknown>): SessionInfo {
    const context = "Invalid session/list response entry";
    return {
      sessionId: MeerkatClient.requireStringField(data, "session_id", context),
      sessionRef: MeerkatClient.optionalStringField(data, "session_ref", context),
      createdAt: MeerkatClient.requireNonNegativeIntegerField(data, "created_at", context),
      updatedAt: MeerkatClient.requireNonNegativeIntegerField(data, "updated_at", context),
      messageCount: MeerkatClient.requireNonNegativeIntegerField(data, "message_count", context),
      isActive: MeerkatClient.requireBooleanField(data, "is_active", context),
      totalTokens: MeerkatClient.requireNonNegativeIntegerField(data, "total_tokens", context),
      labels: MeerkatClient.parseSessionLabels(data.labels, context),
    };
  }

  static parseSessionInfo(data: Record<string, unknown>): SessionInfo {
    const context = "Invalid session/read response";
    return {
      sessionId: MeerkatClient.requireStringField(data, "session_id", context),
      sessionRef: MeerkatClient.optionalStringField(data, "session_ref", context),
      createdAt: MeerkatClient.requireNonNegativeIntegerField(data, "created_at", context),
      updatedAt: MeerkatClient.requireNonNegativeIntegerField(data, "updated_at", context),
      messageCount: MeerkatClient.requireNonNegativeIntegerField(data, "message_count", context),
      isActive: MeerkatClient.requireBooleanField(data, "is_active", context),
      totalTokens: data.total_tokens != null
        ? MeerkatClient.requireNonNegativeIntegerField(data, "total_tokens", context)
        : undefined,
      model: MeerkatClient.requireStringField(data, "model", context),
      provider: MeerkatClient.requireStringField(data, "provider", context),
      lastAssistantText: MeerkatClient.optionalStringField(
        data,
        "last_assistant_text",
        context,
      ),
      resolvedCapabilities: MeerkatClient.parseResolvedModelCapabilities(
        data.resolved_capabilities,
      ),
      labels: MeerkatClient.parseSessionLabels(data.labels, context),
    };
  }

  static parseResolvedModelCapabilities(data: unknown): ResolvedModelCapabilities | undefined {
    if (!data || typeof data !== "object") {
      return undefined;
    }
    const raw = data as Record<string, unknown>;
    const vision = raw.vision;
    const imageInput = raw.image_input;
    const imageToolResults = raw.image_tool_results;
    const inlineVideo = raw.inline_video;
    const realtime = raw.realtime;
    const webSearch = raw.web_search;
    const imageGeneration = raw.image_generation;
    if (
      typeof vision !== "boolean" ||
      typeof imageInput !== "boolean" ||
      typeof imageToolResults !== "boolean" ||
      typeof inlineVideo !== "boolean" ||
      typeof realtime !== "boolean" ||
      typeof webSearch !== "boolean" ||
      typeof imageGeneration !== "boolean"
    ) {
      return undefined;
    }
    return {
      vision,
      imageInput,
      imageToolResults,
      inlineVideo,
      realtime,
      webSearch,
      imageGeneration,
    };
  }


  static parseCommsSendReceipt(data: Record<string, unknown>): CommsSendResult {
    const context = "Invalid comms/send response";
    const kind = MeerkatClient.requireStringField(data, "kind", context);
    let allowed: ReadonlySet<string>;
    switch (kind) {
      case "input_accepted":
        allowed = new Set(["kind", "interaction_id", "stream_reserved"]);
        MeerkatClient.requireStringField(data, "interaction_id", context);
        MeerkatClient.requireBooleanField(data, "stream_reserved", context);
        break;
      case "peer_message_sent": {
        allowed = new Set(["kind", "envelope_id", "delivery"]);
        MeerkatClient.requireStringField(data, "envelope_id", context);
        const delivery = MeerkatClient.requireStringField(data, "delivery", context);
        if (delivery !== "acked" && delivery !== "handed_off" && delivery !== "queued") {
          throw new MeerkatError("INVALID_RESPONSE", `${context}: invalid delivery`);
        }
        break;
      }
      case "peer_lifecycle_sent":
        allowed = new Set(["kind", "envelope_id"]);
        MeerkatClient.requireStringField(data, "envelope_id", context);
        break;
      case "peer_request_sent":
        allowed = new Set([
          "kind",
          "envelope_id",
          "interaction_id",
          "request_id",
          "stream_reserved",
        ]);
        MeerkatClient.requireStringField(data, "envelope_id", context);
        MeerkatClient.requireStringField(data, "interaction_id", context);
        MeerkatClient.requireStringField(data, "request_id", context);
        MeerkatClient.requireBooleanField(data, "stream_reserved", context);
        break;
      case "peer_response_sent":
        allowed = new Set(["kind", "envelope_id", "in_reply_to"]);
        MeerkatClient.requireStringField(data, "envelope_id", context);
        MeerkatClient.requireStringField(data, "in_reply_to", context);
        break;
      default:
        throw new MeerkatError("INVALID_RESPONSE", `${context}: invalid kind`);
    }
    const unknown = Object.keys(data).find((field) => !allowed.has(field));
    if (unknown !== undefined) {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: unknown field ${unknown}`);
    }
    return data as unknown as CommsSendResult;
  }

  private static parseMemberProgressSnapshot(
    raw: unknown,
    context: string,
  ): WireMemberProgressSnapshot {
    const progress = MeerkatClient.requireRecord(raw, "progress", context);
    const runState = MeerkatClient.requireStringField(progress, "run_state", context);
    if (runState !== "idle" && runState !== "run_open" && runState !== "unknown") {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: invalid progress.run_state`);
    }
    const lastProgressEvent = MeerkatClient.requireStringField(
      progress,
      "last_progress_event",
      context,
    );
    if (
      lastProgressEvent !== "execution_advanced" &&
      lastProgressEvent !== "became_idle" &&
      lastProgressEvent !== "unchanged"
    ) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: invalid progress.last_progress_event`,
      );
    }
    const health = MeerkatClient.requireStringField(progress, "health", context);
    if (health !== "healthy" && health !== "degraded" && health !== "wedged" && health !== "unknown") {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: invalid progress.health`);
    }
    MeerkatClient.requireNonNegativeIntegerField(
      progress,
      "in_flight_work",
      context,
      "progress.in_flight_work",
    );
    MeerkatClient.requireNonNegativeIntegerField(
      progress,
      "last_progress_at_ms",
      context,
      "progress.last_progress_at_ms",
    );
    const allowed = new Set([
      "run_state",
      "in_flight_work",
      "last_progress_at_ms",
      "last_progress_event",
      "health",
    ]);
    const unknown = Object.keys(progress).find((field) => !allowed.has(field));
    if (unknown !== undefined) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: unknown progress field ${unknown}`,
      );
    }
    return progress as unknown as WireMemberProgressSnapshot;
  }

  private static parseMemberLifecycleCapabilities(
    raw: unknown,
  ): WireMemberLifecycleCapabilities | undefined {
    if (raw == null) {
      return undefined;
    }
    const context = "Invalid mob/member_status response";
    const record = MeerkatClient.requireRecord(raw, "lifecycle_capabilities", context);
    return {
      transcript_edits: MeerkatClient.requireBooleanField(
        record,
        "transcript_edits",
        context,
      ),
      revisions: MeerkatClient.requireBooleanField(record, "revisions", context),
      resume_after_restart: MeerkatClient.requireBooleanField(
        record,
        "resume_after_restart",
        context,
      ),
    };
  }

  private static parseNonPortableDisabled(
    raw: unknown,
  ): WireNonPortableResourceKind[] | undefined {
    if (raw == null) {
      return undefined;
    }
    const values: readonly WireNonPortableResourceKind[] = [
      "rust_bundles",
      "per_spawn_external_tools",
      "mob_default_external_tools",
      "default_llm_client_override",
      "host_surface_mcp_allowlist",
      "workgraph_tools",
    ];
    if (
      !Array.isArray(raw) ||
      raw.some(
        (entry) =>
          typeof entry !== "string" ||
          !values.includes(entry as WireNonPortableResourceKind),
      )
    ) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        "Invalid mob/member_status response: non_portable_disabled must contain valid resource kinds",
      );
    }
    return raw as WireNonPortableResourceKind[];
  }

  static parseModelsCatalog(data: Record<string, unknown>): ModelsCatalog {
    const context = "Invalid models/catalog response";
    const contractVersion = MeerkatClient.parseContractVersion(
      data.contract_version,
      context,
    );

    const optionalNonNegativeIntegerField = (
      raw: Record<string, unknown>,
      field: string,
      fieldContext: string,
    ): number | undefined => {
      if (!(field in raw) || raw[field] == null) {
        return undefined;
      }
      return MeerkatClient.requireNonNegativeIntegerField(raw, field, fieldContext);
    };

    const defaultedBooleanField = (
      raw: Record<string, unknown>,
      field: string,
      fieldContext: string,
    ): boolean => {
      if (!(field in raw)) {
        return false;
      }
      return MeerkatClient.requireBooleanField(raw, field, fieldContext);
    };

    const parseProfile = (
      raw: unknown,
      profileContext: string,
    ): ModelProfile | undefined => {
      if (raw == null) {
        return undefined;
      }
      const profile = MeerkatClient.requireRecord(raw, "profile", profileContext);
      if (!("params_schema" in profile) || profile.params_schema === undefined) {
        throw new MeerkatError("INVALID_RESPONSE", `${profileContext}: missing params_schema`);
      }
      return {
        // Present-but-empty is wire-legal: self-hosted models declared
        // without `family` serialize model_family as "" (serde default).
        modelFamily: MeerkatClient.requirePresentStringField(
          profile,
          "model_family",
          profileContext,
        ),
        supportsTemperature: MeerkatClient.requireBooleanField(
          profile,
          "supports_temperature",
          profileContext,
        ),
        supportsThinking: MeerkatClient.requireBooleanField(
          profile,
          "supports_thinking",
          profileContext,
        ),
        supportsReasoning: MeerkatClient.requireBooleanField(
          profile,
          "supports_reasoning",
          profileContext,
        ),
        vision: defaultedBooleanField(profile, "vision", profileContext),
        imageInput: defaultedBooleanField(profile, "image_input", profileContext),
        imageToolResults: defaultedBooleanField(
          profile,
          "image_tool_results",
          profileContext,
        ),
        inlineVideo: defaultedBooleanField(profile, "inline_video", profileContext),
        realtime: defaultedBooleanField(profile, "realtime", profileContext),
        webSearch: defaultedBooleanField(profile, "supports_web_search", profileContext),
        imageGeneration: defaultedBooleanField(
          profile,
          "image_generation",
          profileContext,
        ),
        paramsSchema: profile.params_schema,
      };
    };

    const providersRaw = MeerkatClient.requireRecordArray(
      data.providers,
      `${context}: providers`,
    );

    return {
      contractVersion,
      providers: providersRaw.map((provider, providerIndex) => {
        const providerContext = `${context}: providers[${providerIndex}]`;
        const modelsRaw = MeerkatClient.requireRecordArray(
          provider.models,
          `${providerContext}.models`,
        );
        return {
          provider: MeerkatClient.requireStringField(
            provider,
            "provider",
            providerContext,
          ),
          defaultModelId: MeerkatClient.requireStringField(
            provider,
            "default_model_id",
            providerContext,
          ),
          models: modelsRaw.map((model, modelIndex) => {
            const modelContext = `${providerContext}.models[${modelIndex}]`;
            const tier = MeerkatClient.requireStringField(model, "tier", modelContext);
            if (tier !== "recommended" && tier !== "supported") {
              throw new MeerkatError(
                "INVALID_RESPONSE",
                `${modelContext}: tier must be recommended or supported`,
              );
            }
            return {
              id: MeerkatClient.requireStringField(model, "id", modelContext),
              // Present-but-empty is wire-legal: self-hosted models declared
              // without `display_name` serialize it as "" (serde default).
              displayName: MeerkatClient.requirePresentStringField(
                model,
                "display_name",
                modelContext,
              ),
              tier,
              contextWindow: optionalNonNegativeIntegerField(
                model,
                "context_window",
                modelContext,
              ),
              maxOutputTokens: optionalNonNegativeIntegerField(
                model,
                "max_output_tokens",
                modelContext,
              ),
              serverId: MeerkatClient.optionalStringField(
                model,
                "server_id",
                modelContext,
              ),
              profile: parseProfile(model.profile, `${modelContext}.profile`),
            };
          }),
        };
      }),
    };
  }

  private static parseContractVersion(raw: unknown, context: string): {
    major: number;
    minor: number;
    patch: number;
  } {
    const parseComponent = (value: unknown, field: string): number => {
      const parsed =
        typeof value === "number"
          ? value
          : typeof value === "string" && /^\d+$/.test(value)
            ? Number(value)
            : undefined;
      if (typeof parsed === "number" && Number.isSafeInteger(parsed) && parsed >= 0) {
        return parsed;
      }
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: contract_version.${field} must be non-negative integer`,
      );
    };

    if (raw && typeof raw === "object" && !Array.isArray(raw)) {
      const record = raw as Record<string, unknown>;
      return {
        major: parseComponent(record.major, "major"),
        minor: parseComponent(record.minor, "minor"),
        patch: parseComponent(record.patch, "patch"),
      };
    }
    if (typeof raw === "string") {
      const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(raw);
      if (match) {
        return {
          major: parseComponent(match[1], "major"),
          minor: parseComponent(match[2], "minor"),
          patch: parseComponent(match[3], "patch"),
        };
      }
    }
    throw new MeerkatError("INVALID_RESPONSE", `${context}: missing contract_version`);
  }

  private static requireScheduleLiteral(
    data: Record<string, unknown>,
    field: string,
    allowed: readonly string[],
    context: string,
  ): string {
    const value = MeerkatClient.requireStringField(data, field, context);
    if (!allowed.includes(value)) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: invalid ${field} ${JSON.stringify(value)}`,
      );
    }
    return value;
  }

  private static parseScheduleMisfirePolicy(
    raw: unknown,
    context: string,
  ): Record<string, unknown> {
    const policy = MeerkatClient.requireRecord(raw, "misfire_policy", context);
    const kind = MeerkatClient.requireScheduleLiteral(
      policy,
      "type",
      ["skip", "catch_up_within"],
      context,
    );
    if (kind === "catch_up_within") {
      MeerkatClient.requireNonNegativeIntegerField(policy, "window_seconds", context);
    }
    return policy;
  }

  private static parseScheduleLabels(
    data: Record<string, unknown>,
    context: string,
  ): Readonly<Record<string, string>> {
    if (!Object.prototype.hasOwnProperty.call(data, "labels")) {
      return {};
    }
    const labels = MeerkatClient.requireRecord(data.labels, "labels", context);
    return Object.fromEntries(
      Object.entries(labels).map(([key, value]) => {
        if (typeof value !== "string") {
          throw new MeerkatError(
            "INVALID_RESPONSE",
            `${context}: labels.${key} must be string`,
          );
        }
        return [key, value];
      }),
    );
  }

  private static optionalScheduleRecordField(
    data: Record<string, unknown>,
    field: string,
    context: string,
  ): Record<string, unknown> | undefined {
    if (data[field] == null) {
      return undefined;
    }
    return MeerkatClient.requireRecord(data[field], field, context);
  }

  private static optionalScheduleIntegerField(
    data: Record<string, unknown>,
    field: string,
    context: string,
  ): number | undefined {
    if (data[field] == null) {
      return undefined;
    }
    return MeerkatClient.requireNonNegativeIntegerField(data, field, context);
  }

  static parseSchedule(raw: unknown): Schedule {
    const context = "Invalid schedule response";
    const data = MeerkatClient.requireRecord(raw, "response", context);
    return {
      scheduleId: MeerkatClient.requireStringField(data, "schedule_id", context),
      phase: MeerkatClient.requireScheduleLiteral(
        data,
        "phase",
        ["active", "paused", "deleted"],
        context,
      ) as Schedule["phase"],
      revision: MeerkatClient.requireNonNegativeIntegerField(data, "revision", context),
      name: MeerkatClient.optionalStringField(data, "name", context),
      description: MeerkatClient.optionalStringField(data, "description", context),
      trigger: MeerkatClient.requireRecord(data.trigger, "trigger", context),
      target: MeerkatClient.requireRecord(data.target, "target", context),
      misfirePolicy: MeerkatClient.parseScheduleMisfirePolicy(
        data.misfire_policy,
        context,
      ),
      overlapPolicy: MeerkatClient.requireScheduleLiteral(
        data,
        "overlap_policy",
        ["allow_concurrent", "skip_if_running"],
        context,
      ) as Schedule["overlapPolicy"],
      missingTargetPolicy: MeerkatClient.requireScheduleLiteral(
        data,
        "missing_target_policy",
        ["skip", "mark_misfired"],
        context,
      ) as Schedule["missingTargetPolicy"],
      planningHorizonDays: MeerkatClient.requireNonNegativeIntegerField(
        data,
        "planning_horizon_days",
        context,
      ),
      planningHorizonOccurrences: MeerkatClient.requireNonNegativeIntegerField(
        data,
        "planning_horizon_occurrences",
        context,
      ),
      nextOccurrenceOrdinal: MeerkatClient.requireNonNegativeIntegerField(
        data,
        "next_occurrence_ordinal",
        context,
      ),
      planningCursorUtc: MeerkatClient.optionalStringField(
        data,
        "planning_cursor_utc",
        context,
      ),
      createdAtUtc: MeerkatClient.requireStringField(data, "created_at_utc", context),
      updatedAtUtc: MeerkatClient.requireStringField(data, "updated_at_utc", context),
      deletedAtUtc: MeerkatClient.optionalStringField(data, "deleted_at_utc", context),
      labels: MeerkatClient.parseScheduleLabels(data, context),
      supersededAckIds: MeerkatClient.parseStringArray(
        data.superseded_ack_ids,
        `${context}: superseded_ack_ids`,
      ),
    };
  }

  static parseScheduleOccurrence(raw: unknown): ScheduleOccurrencesResult["occurrences"][number] {
    const context = "Invalid schedule occurrence response";
    const data = MeerkatClient.requireRecord(raw, "response", context);
    return {
      occurrenceId: MeerkatClient.requireStringField(data, "occurrence_id", context),
      scheduleId: MeerkatClient.requireStringField(data, "schedule_id", context),
      scheduleRevision: MeerkatClient.requireNonNegativeIntegerField(
        data,
        "schedule_revision",
        context,
      ),
      occurrenceOrdinal: MeerkatClient.requireNonNegativeIntegerField(
        data,
        "occurrence_ordinal",
        context,
      ),
      phase: MeerkatClient.requireScheduleLiteral(
        data,
        "phase",
        [
          "pending",
          "claimed",
          "dispatching",
          "awaiting_completion",
          "completed",
          "skipped",
          "misfired",
          "superseded",
          "delivery_failed",
        ],
        context,
      ) as ScheduleOccurrencesResult["occurrences"][number]["phase"],
      dueAtUtc: MeerkatClient.requireStringField(data, "due_at_utc", context),
      triggerSnapshot: MeerkatClient.requireRecord(
        data.trigger_snapshot,
        "trigger_snapshot",
        context,
      ),
      targetSnapshot: MeerkatClient.requireRecord(
        data.target_snapshot,
        "target_snapshot",
        context,
      ),
      misfirePolicy: MeerkatClient.parseScheduleMisfirePolicy(
        data.misfire_policy,
        context,
      ),
      overlapPolicy: MeerkatClient.requireScheduleLiteral(
        data,
        "overlap_policy",
        ["allow_concurrent", "skip_if_running"],
        context,
      ) as ScheduleOccurrencesResult["occurrences"][number]["overlapPolicy"],
      missingTargetPolicy: MeerkatClient.requireScheduleLiteral(
        data,
        "missing_target_policy",
        ["skip", "mark_misfired"],
        context,
      ) as ScheduleOccurrencesResult["occurrences"][number]["missingTargetPolicy"],
      claimedBy: MeerkatClient.optionalStringField(data, "claimed_by", context),
      leaseExpiresAtUtc: MeerkatClient.optionalStringField(
        data,
        "lease_expires_at_utc",
        context,
      ),
      deliveryCorrelationId: MeerkatClient.optionalStringField(
        data,
        "delivery_correlation_id",
        context,
      ),
      lastReceipt: MeerkatClient.optionalScheduleRecordField(
        data,
        "last_receipt",
        context,
      ),
      failureClass: MeerkatClient.optionalStringField(data, "failure_class", context),
      runtimeOutcome: MeerkatClient.optionalScheduleRecordField(
        data,
        "runtime_outcome",
        context,
      ),
      failureDetail: MeerkatClient.optionalStringField(data, "failure_detail", context),
      attemptCount: MeerkatClient.requireNonNegativeIntegerField(
        data,
        "attempt_count",
        context,
      ),
      createdAtUtc: MeerkatClient.requireStringField(data, "created_at_utc", context),
      claimedAtUtc: MeerkatClient.optionalStringField(data, "claimed_at_utc", context),
      dispatchedAtUtc: MeerkatClient.optionalStringField(
        data,
        "dispatched_at_utc",
        context,
      ),
      completedAtUtc: MeerkatClient.optionalStringField(
        data,
        "completed_at_utc",
        context,
      ),
      supersededByRevision: MeerkatClient.optionalScheduleIntegerField(
        data,
        "superseded_by_revision",
        context,
      ),
    };
  }

  private static parseStringArray(value: unknown, context: string): string[] {
    // The Rust wire field is omitted when its canonical set is empty. Only
    // absence defaults to []; an explicit null is not a valid JSON array and
    // must fail closed like every other malformed present field.
    if (value === undefined) {
      return [];
    }
    return MeerkatClient.requireStringArray(value, context);
  }

  private static requireStringArray(value: unknown, context: string): string[] {
    if (!Array.isArray(value)) {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: expected array`);
    }
    return value.map((item, index) => {
      if (typeof item !== "string" || item.length === 0) {
        throw new MeerkatError(
          "INVALID_RESPONSE",
          `${context}: entry ${index} must be string`,
        );
      }
      return item;
    });
  }

  private static parseRecordArray(
    value: unknown,
    context: string,
  ): Array<Record<string, unknown>> {
    if (value == null) {
      return [];
    }
    return MeerkatClient.requireRecordArray(value, context);
  }

  private static requireRecordArray(
    value: unknown,
    context: string,
  ): Array<Record<string, unknown>> {
    if (!Array.isArray(value)) {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: expected array`);
    }
    return value.map((item, index) =>
      MeerkatClient.requireRecord(item, `entry ${index}`, context),
    );
  }

  private static parseMobWireMembersBatchEdge(
    raw: unknown,
    context: string,
  ): WireMobWireMembersBatchEdge {
    const data = MeerkatClient.requireRecord(raw, "edge", context);
    return {
      a: MeerkatClient.requireStringField(data, "a", context),
      b: MeerkatClient.requireStringField(data, "b", context),
    };
  }

  private static parseMobWireMembersBatchEdges(
    raw: unknown,
    context: string,
  ): WireMobWireMembersBatchEdge[] {
    return MeerkatClient.requireRecordArray(raw, context).map((edge, index) =>
      MeerkatClient.parseMobWireMembersBatchEdge(edge, `${context} edge ${index}`),
    );
  }

  private static parseMobWireMembersBatchReport(
    data: Record<string, unknown>,
  ): MobWireMembersBatchResult {
    const context = "Invalid mob/wire_members_batch response";
    return {
      requested: MeerkatClient.requireNumberField(data, "requested", context),
      wired: MeerkatClient.parseMobWireMembersBatchEdges(data.wired, `${context} wired`),
      alreadyWired: MeerkatClient.parseMobWireMembersBatchEdges(
        data.already_wired,
        `${context} already_wired`,
      ),
    };
  }

  static parseMobProfileLookup(data: Record<string, unknown>): MobProfileLookupResult {
    const context = "Invalid mob/profile response";
    const name = MeerkatClient.requireStringField(data, "name", context);
    if (Boolean(data.not_found)) {
      return {
        notFound: true,
        name,
      };
    }
    return {
      notFound: false,
      name,
      profile:
        data.profile && typeof data.profile === "object"
          ? (data.profile as MobProfile)
          : undefined,
      revision: data.revision != null ? Number(data.revision) : undefined,
      createdAt: data.created_at != null ? String(data.created_at) : undefined,
      updatedAt: data.updated_at != null ? String(data.updated_at) : undefined,
    };
  }

  private static toWireCreateScheduleRequest(
    request: CreateScheduleRequest,
  ): RpcCreateScheduleRequest {
    return {
      name: request.name,
      description: request.description,
      trigger: request.trigger,
      target: request.target,
      misfire_policy: request.misfirePolicy,
      overlap_policy: request.overlapPolicy,
      missing_target_policy: request.missingTargetPolicy,
      labels: request.labels,
      planning_horizon_days: request.planningHorizonDays,
      planning_horizon_occurrences: request.planningHorizonOccurrences,
    };
  }

  private static toWireUpdateSchedulePatch(
    update: UpdateScheduleRequest["update"],
  ): Record<string, unknown> {
    return {
      expected_revision: update.expectedRevision,
      name: update.name,
      description: update.description,
      trigger: update.trigger,
      target: update.target,
      misfire_policy: update.misfirePolicy,
      overlap_policy: update.overlapPolicy,
      missing_target_policy: update.missingTargetPolicy,
      planning_horizon_days: update.planningHorizonDays,
      planning_horizon_occurrences: update.planningHorizonOccurrences,
      labels: update.labels,
    };
  }

  static parseSessionHistory(data: Record<string, unknown>): SessionHistory {
    const context = "Invalid session history response";
    const rawMessages = MeerkatClient.requireRecordArray(
      data.messages,
      `${context}: messages`,
    );
    rawMessages.forEach((message, index) =>
      MeerkatClient.validateWireHistoryRow(
        message,
        `${context}: messages[${index}]`,
      ),
    );
    return {
      sessionId: MeerkatClient.requireStringField(data, "session_id", context),
      sessionRef: data.session_ref != null ? String(data.session_ref) : undefined,
      messageCount: MeerkatClient.requireNumberField(data, "message_count", context),
      offset: MeerkatClient.requireNumberField(data, "offset", context),
      limit: data.limit != null ? Number(data.limit) : undefined,
      hasMore: MeerkatClient.requireBooleanField(data, "has_more", context),
      messages: rawMessages.map((message) => MeerkatClient.parseSessionMessage(message)),
    };
  }

  static parseSessionTranscriptRevision(
    data: Record<string, unknown>,
  ): SessionTranscriptRevision {
    const context = "Invalid session transcript revision response";
    const rawMessages = MeerkatClient.requireRecordArray(
      data.messages,
      `${context}: messages`,
    );
    rawMessages.forEach((message, index) =>
      MeerkatClient.validateWireHistoryRow(
        message,
        `${context}: messages[${index}]`,
      ),
    );
    return {
      sessionId: MeerkatClient.requireStringField(data, "session_id", context),
      sessionRef: data.session_ref != null ? String(data.session_ref) : undefined,
      revision: MeerkatClient.requireStringField(data, "revision", context),
      headRevision: MeerkatClient.requireStringField(data, "head_revision", context),
      messageCount: MeerkatClient.requireNumberField(data, "message_count", context),
      offset: MeerkatClient.requireNumberField(data, "offset", context),
      limit: data.limit != null ? Number(data.limit) : undefined,
      hasMore: MeerkatClient.requireBooleanField(data, "has_more", context),
      messages: rawMessages.map((message) => MeerkatClient.parseSessionMessage(message)),
    };
  }

  static parseSessionTranscriptRevisionList(
    data: Record<string, unknown>,
  ): SessionTranscriptRevisionList {
    const context = "Invalid session transcript revision list response";
    if (!Array.isArray(data.entries)) {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: entries must be a list`);
    }
    const rawEntries = data.entries as Array<Record<string, unknown>>;
    const entries: SessionTranscriptRevisionEntry[] = rawEntries.map((entry) => ({
      revision: MeerkatClient.requireStringField(entry, "revision", context),
      parentRevision: MeerkatClient.requireStringField(entry, "parent_revision", context),
      actor: entry.actor != null ? String(entry.actor) : undefined,
      reason: MeerkatClient.requireStringField(entry, "reason", context),
      committedAt: MeerkatClient.requireNumberField(entry, "committed_at", context),
    }));
    return {
      headRevision: MeerkatClient.requireStringField(data, "head_revision", context),
      entries,
    };
  }

  private static parseForkCacheLoweredRequestProvenance(
    raw: unknown,
    context: string,
  ): ForkCacheLoweredRequestProvenance {
    const data = MeerkatClient.requireRecord(raw, "lowered_request_provenance", context);
    const provider = MeerkatClient.requireClosedStringField(
      data,
      "provider",
      ["anthropic", "openai", "gemini", "self_hosted", "other"],
      context,
    ) as ForkCacheProvider;
    const encoding = MeerkatClient.requireClosedStringField(
      data,
      "encoding",
      [
        "anthropic_messages_json",
        "open_ai_responses_json",
        "open_ai_chat_completions_json",
        "gemini_generate_content_json",
      ],
      context,
    ) as ForkCacheLoweredRequestEncoding;
    const rawBodySha256 = MeerkatClient.requireOwnField(data, "body_sha256", context);
    if (
      !Array.isArray(rawBodySha256) ||
      rawBodySha256.length !== 32 ||
      rawBodySha256.some(
        (byte) => !Number.isInteger(byte) || Number(byte) < 0 || Number(byte) > 255,
      )
    ) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: body_sha256 must contain exactly 32 bytes`,
      );
    }
    return {
      provider,
      encoding,
      bodySha256: rawBodySha256 as number[],
    };
  }

  private static parseForkAuthoredCacheBreakpoint(
    raw: unknown,
    context: string,
  ): ForkAuthoredCacheBreakpoint {
    const data = MeerkatClient.requireRecord(raw, "authored_cache_breakpoint", context);
    const boundaryData = MeerkatClient.requireRecord(data.boundary, "boundary", context);
    const boundary: ForkCacheBreakpointBoundary = {
      kind: MeerkatClient.requireClosedStringField(
        boundaryData,
        "kind",
        ["system_profile_prefix", "transcript_after"],
        context,
      ) as ForkCacheBreakpointBoundary["kind"],
      messageCount: MeerkatClient.requireNonNegativeIntegerField(
        boundaryData,
        "message_count",
        context,
      ),
    };
    return {
      provider: MeerkatClient.requireClosedStringField(
        data,
        "provider",
        ["anthropic", "openai", "gemini", "self_hosted", "other"],
        context,
      ) as ForkCacheProvider,
      model: MeerkatClient.requireStringField(data, "model", context),
      boundary,
      canonicalPrefixSha256: MeerkatClient.requireStringField(
        data,
        "canonical_prefix_sha256",
        context,
      ),
      canonicalPrefixBytes: MeerkatClient.requireNonNegativeIntegerField(
        data,
        "canonical_prefix_bytes",
        context,
      ),
      renderedPrefixSha256: MeerkatClient.requireStringField(
        data,
        "rendered_prefix_sha256",
        context,
      ),
      renderedPrefixBytes: MeerkatClient.requireNonNegativeIntegerField(
        data,
        "rendered_prefix_bytes",
        context,
      ),
      loweredRequestProvenance: MeerkatClient.parseForkCacheLoweredRequestProvenance(
        data.lowered_request_provenance,
        context,
      ),
      ttl: MeerkatClient.requireClosedStringField(
        data,
        "ttl",
        [
          "five_minutes",
          "one_hour",
          "thirty_minutes",
          "twenty_four_hours",
          "provider_default",
        ],
        context,
      ) as ForkCacheTtl,
    };
  }

  private static parseForkPoint(raw: unknown, context: string): ForkPoint {
    const data = MeerkatClient.requireRecord(raw, "fork_point", context);
    return {
      messageCount: MeerkatClient.requireNonNegativeIntegerField(
        data,
        "message_count",
        context,
      ),
      authoredCacheBreakpoint: MeerkatClient.parseForkAuthoredCacheBreakpoint(
        data.authored_cache_breakpoint,
        context,
      ),
    };
  }

  private static parseForkCacheInheritance(
    raw: unknown,
    context: string,
  ): ForkCacheInheritance {
    const data = MeerkatClient.requireRecord(raw, "cache_inheritance", context);
    const status = MeerkatClient.requireClosedStringField(
      data,
      "status",
      ["available", "unavailable"],
      context,
    );
    if (status === "available") {
      return {
        status,
        forkPoint: MeerkatClient.parseForkPoint(data.fork_point, context),
      };
    }
    return {
      status: "unavailable",
      messageCount: MeerkatClient.requireNonNegativeIntegerField(
        data,
        "message_count",
        context,
      ),
      reason: MeerkatClient.requireClosedStringField(
        data,
        "reason",
        [
          "no_authored_breakpoint_at_boundary",
          "provider_model_mismatch",
          "target_identity_unresolved",
          "target_lowering_unavailable",
          "rendered_prefix_projection_unavailable",
          "authored_evidence_invalid",
        ],
        context,
      ) as ForkCacheInheritanceUnavailableReason,
    };
  }

  static parseSessionForkResult(data: RpcSessionForkResult): SessionForkResult {
    const context = "Invalid session fork response";
    const wire = data as unknown as Record<string, unknown>;
    return {
      sourceSessionId: MeerkatClient.requireStringField(wire, "source_session_id", context),
      sessionId: MeerkatClient.requireStringField(wire, "session_id", context),
      sessionRef: wire.session_ref != null ? String(wire.session_ref) : undefined,
      messageCount: MeerkatClient.requireNonNegativeIntegerField(
        wire,
        "message_count",
        context,
      ),
      cacheInheritance: MeerkatClient.parseForkCacheInheritance(
        wire.cache_inheritance,
        context,
      ),
    };
  }

  static parseSessionTranscriptRewriteResult(
    data: Record<string, unknown>,
  ): SessionTranscriptRewriteResult {
    const context = "Invalid session transcript rewrite response";
    const commit = data.commit;
    if (typeof commit !== "object" || commit === null || Array.isArray(commit)) {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: commit must be an object`);
    }
    return {
      sessionId: MeerkatClient.requireStringField(data, "session_id", context),
      parentRevision: MeerkatClient.requireStringField(data, "parent_revision", context),
      revision: MeerkatClient.requireStringField(data, "revision", context),
      messageCount: MeerkatClient.requireNumberField(data, "message_count", context),
      commit: commit as Record<string, unknown>,
    };
  }

  static parseSystemPromptUpdateResult(
    data: RpcSystemPromptUpdateResult,
  ): SystemPromptUpdateResult {
    const context = "Invalid system prompt update response";
    const wire = data as unknown as Record<string, unknown>;
    const version = MeerkatClient.requireNumberField(wire, "version", context);
    if (!Number.isInteger(version) || version <= 0) {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: version must be a positive integer`);
    }
    const messageIndex = MeerkatClient.requireNumberField(wire, "message_index", context);
    if (!Number.isInteger(messageIndex) || messageIndex < 0) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: message_index must be a non-negative integer`,
      );
    }
    const status = MeerkatClient.requireStringField(wire, "status", context);
    if (status !== "applied" && status !== "duplicate") {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: unsupported status ${status}`);
    }
    const rawCommit = wire.commit;
    if (status === "applied" && rawCommit === undefined) {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: applied result must carry a commit`);
    }
    if (status === "duplicate" && rawCommit !== undefined) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        `${context}: duplicate result must not carry a commit`,
      );
    }
    if (
      rawCommit !== undefined &&
      (typeof rawCommit !== "object" || rawCommit === null || Array.isArray(rawCommit))
    ) {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: commit must be an object`);
    }
    return {
      sessionId: MeerkatClient.requireStringField(wire, "session_id", context),
      key: MeerkatClient.requireStringField(wire, "key", context),
      version,
      messageIndex,
      status,
      transcriptRevision: MeerkatClient.requireStringField(
        wire,
        "transcript_revision",
        context,
      ),
      commit: rawCommit as Record<string, unknown> | undefined,
    };
  }

  static serializeTranscriptReplacement(
    replacement: TranscriptReplacement,
  ): RpcWireTranscriptReplacement {
    switch (replacement.type) {
      case "message":
        return {
          type: "message",
          message: MeerkatClient.serializeTranscriptRewriteMessage(replacement.message),
        };
      case "user_content_block":
        return {
          type: "user_content_block",
          block_index: replacement.blockIndex,
          block: toWireContentBlock(replacement.block),
        };
      case "assistant_block":
        return {
          type: "assistant_block",
          block_index: replacement.blockIndex,
          block: replacement.block,
        };
      case "tool_result_content_block":
        return {
          type: "tool_result_content_block",
          result_index: replacement.resultIndex,
          block_index: replacement.blockIndex,
          block: toWireContentBlock(replacement.block),
        };
    }
    throw new Error(
      `Unsupported transcript replacement type: ${(replacement as { type: string }).type}`,
    );
  }

  static parseSessionMessage(data: Record<string, unknown>): SessionMessage {
    // Transcript truth fails closed: a message without its identity facts
    // (role, created_at) or with malformed collections is a wire-contract
    // violation, never coerced to ""/[] placeholder truth.
    const context = "Invalid session message";
    const role = MeerkatClient.requireStringField(data, "role", context);
    const createdAt = MeerkatClient.requireStringField(data, "created_at", context);
    const contentValue =
      role === "system_notice" && data.content == null && data.body != null
        ? String(data.body)
        : data.content;
    if (data.blocks != null && !Array.isArray(data.blocks)) {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: blocks must be a list`);
    }
    if (data.results != null && !Array.isArray(data.results)) {
      throw new MeerkatError("INVALID_RESPONSE", `${context}: results must be a list`);
    }
    const rawBlocks = (data.blocks as Array<Record<string, unknown>> | undefined) ?? [];
    const rawResults = (data.results as Array<Record<string, unknown>> | undefined) ?? [];
    let promptVersion: SystemPromptVersionIdentity | undefined;
    if (data.prompt_version !== undefined && data.prompt_version !== null) {
      if (
        typeof data.prompt_version !== "object" ||
        Array.isArray(data.prompt_version)
      ) {
        throw new MeerkatError(
          "INVALID_RESPONSE",
          `${context}: prompt_version must be an object`,
        );
      }
      const rawPromptVersion = data.prompt_version as Record<string, unknown>;
      const version = MeerkatClient.requireNumberField(
        rawPromptVersion,
        "version",
        `${context}: prompt_version`,
      );
      if (!Number.isInteger(version) || version <= 0) {
        throw new MeerkatError(
          "INVALID_RESPONSE",
          `${context}: prompt_version.version must be a positive integer`,
        );
      }
      promptVersion = {
        key: MeerkatClient.requireStringField(
          rawPromptVersion,
          "key",
          `${context}: prompt_version`,
        ),
        version,
      };
    }
    return {
      role,
      createdAt,
      kind: data.kind != null ? String(data.kind) : undefined,
      body: data.body != null ? String(data.body) : undefined,
      content:
        contentValue != null ? MeerkatClient.parseContentInput(contentValue) : undefined,
      stopReason: data.stop_reason != null ? String(data.stop_reason) : undefined,
      interactionId: data.interaction_id != null ? String(data.interaction_id) : undefined,
      runId: data.run_id != null ? String(data.run_id) : undefined,
      promptVersion,
      // System-notice blocks have their own generated union and remain
      // available in `raw`; only block-assistant rows project through the
      // public assistant-block view.
      blocks:
        role === "block_assistant"
          ? rawBlocks.map((block) => MeerkatClient.parseSessionAssistantBlock(block))
          : [],
      results: rawResults.map((result): SessionToolResult => {
        if (typeof result !== "object" || result === null) {
          throw new MeerkatError(
            "INVALID_RESPONSE",
            `${context}: tool result must be an object`,
          );
        }
        const isError = result.is_error ?? false;
        if (typeof isError !== "boolean") {
          throw new MeerkatError(
            "INVALID_RESPONSE",
            `${context}: is_error must be a boolean`,
          );
        }
        // `WireToolResult.content` is mandatory on the wire; a frame without
        // it is malformed and must not be coalesced into an empty transcript.
        if (result.content === undefined || result.content === null) {
          throw new MeerkatError(
            "INVALID_RESPONSE",
            `${context}: tool result missing content`,
          );
        }
        return {
          toolUseId: MeerkatClient.requireStringField(result, "tool_use_id", context),
          content: MeerkatClient.parseContentInput(result.content),
          isError,
        };
      }),
      raw: { ...data },
    };
  }

  static serializeTranscriptRewriteMessage(
    message: TranscriptRewriteInputMessage,
  ): RpcTranscriptRewriteMessage {
    const camel = message as SessionMessage;
    if (camel.createdAt !== undefined) {
      const payload: Record<string, unknown> = {
        ...(camel.raw ?? {}),
        role: camel.role,
        created_at: camel.createdAt,
      };
      if (camel.kind !== undefined) {
        payload.kind = camel.kind;
      }
      if (camel.role === "system_notice") {
        delete payload.body;
        delete payload.content;
        if (camel.body !== undefined) {
          payload.body = camel.body;
        } else if (camel.content !== undefined) {
          payload.content = camel.content;
        }
      } else {
        if (camel.body !== undefined) {
          payload.body = camel.body;
        }
        if (camel.content !== undefined) {
          payload.content = camel.content;
        }
      }
      if (camel.stopReason !== undefined) {
        payload.stop_reason = camel.stopReason;
      }
      if (camel.blocks?.length > 0) {
        payload.blocks = camel.blocks.map((block) =>
          MeerkatClient.serializeSessionAssistantBlock(block),
        );
      }
      if (camel.results?.length > 0) {
        payload.results = camel.results.map((result) => ({
          tool_use_id: result.toolUseId,
          content: result.content,
          is_error: result.isError,
        }));
      }
      // SessionMessage.raw was accepted by the fail-closed transcript parser
      // above; this branch only restores the exact snake_case wire spelling.
      return payload as unknown as RpcTranscriptRewriteMessage;
    }
    return { ...(message as TranscriptRewriteMessage) };
  }

  static serializeSessionAssistantBlock(block: SessionAssistantBlock): Record<string, unknown> {
    const data: Record<string, unknown> = {
      ...((block.raw?.data as Record<string, unknown> | undefined) ?? {}),
    };
    setIfDefined(data, "text", block.text);
    setIfDefined(data, "id", block.id);
    setIfDefined(data, "name", block.name);
    setIfDefined(data, "args", block.args);
    setIfDefined(data, "image_id", block.imageId);
    if (block.blobId !== undefined) {
      data.blob_ref = { blob_id: block.blobId };
    }
    setIfDefined(data, "media_type", block.mediaType);
    setIfDefined(data, "width", block.width);
    setIfDefined(data, "height", block.height);
    setIfDefined(data, "revised_prompt", block.revisedPrompt);
    setIfDefined(data, "meta", block.meta);
    setIfDefined(data, "source", block.source);
    return {
      ...(block.raw ?? {}),
      block_type: block.blockType,
      data,
    };
  }

  static parseContentInput(value: unknown): SessionContentInput {
    if (Array.isArray(value)) {
      return value.map((item, index) =>
        MeerkatClient.parseContentBlock(
          MeerkatClient.requireRecord(
            item,
            `content[${index}]`,
            "Invalid session content",
          ),
        ),
      );
    }
    if (typeof value === "string") return value;
    throw new MeerkatError(
      "INVALID_RESPONSE",
      "Invalid session content: expected string or content-block array",
    );
  }

  static parseContentBlock(data: Record<string, unknown>): SessionContentBlock {
    MeerkatClient.validateGeneratedContentBlock(
      data,
      "Invalid session content block",
      false,
    );
    // Preserve the validated wire object exactly. In particular, do not
    // invent inline bytes for history-only image/video projections or collapse
    // structured/unknown variants into empty text.
    return { ...data } as unknown as SessionContentBlock;
  }

  static parseSessionAssistantBlock(data: Record<string, unknown>): SessionAssistantBlock {
    const context = "Invalid session assistant block";
    MeerkatClient.validateWireAssistantBlock(data, context);
    const blockData = (data.data as Record<string, unknown> | undefined) ?? {};
    const blobRef = blockData.blob_ref as Record<string, unknown> | undefined;
    const revisedPrompt =
      blockData.revised_prompt != null && typeof blockData.revised_prompt === "object"
        ? (blockData.revised_prompt as Record<string, unknown>)
        : undefined;
    return {
      blockType: MeerkatClient.requireStringField(data, "block_type", context),
      text: blockData.text != null ? String(blockData.text) : undefined,
      id: blockData.id != null ? String(blockData.id) : undefined,
      name: blockData.name != null ? String(blockData.name) : undefined,
      args: blockData.args,
      imageId: blockData.image_id != null ? String(blockData.image_id) : undefined,
      blobId: blobRef?.blob_id != null ? String(blobRef.blob_id) : undefined,
      mediaType: blockData.media_type != null ? String(blockData.media_type) : undefined,
      width: blockData.width != null ? Number(blockData.width) : undefined,
      height: blockData.height != null ? Number(blockData.height) : undefined,
      revisedPrompt,
      meta: blockData.meta as Record<string, unknown> | undefined,
      source:
        data.block_type === "transcript"
          ? ({ ...(blockData.source as Record<string, unknown>) } as unknown as
              SessionAssistantBlock["source"])
          : undefined,
      raw: { ...data },
    };
  }

  private static parseMcpLiveOpResponse(
    raw: Record<string, unknown>,
  ): McpLiveOpResponse {
    const sessionId = raw.session_id;
    const operation = raw.operation;
    const status = raw.status;
    const persisted = raw.persisted;
    if (typeof sessionId !== "string" || sessionId.length === 0) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        "Invalid mcp response: missing session_id",
      );
    }
    if (operation !== "add" && operation !== "remove" && operation !== "reload") {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        "Invalid mcp response: invalid operation",
      );
    }
    if (typeof status !== "string" || status.length === 0) {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        "Invalid mcp response: missing status",
      );
    }
    if (typeof persisted !== "boolean") {
      throw new MeerkatError(
        "INVALID_RESPONSE",
        "Invalid mcp response: persisted must be boolean",
      );
    }
    return raw as unknown as McpLiveOpResponse;
  }

  private handleCallbackRequest(data: Record<string, unknown>): void {
    const requestId = data.id;
    const method = String(data.method ?? "");
    const params = (data.params ?? {}) as Record<string, unknown>;

    if (method === "tool/execute") {
      const toolName = String(params.name ?? "");
      const handler = this.toolHandlers.get(toolName);

      if (handler) {
        const args = (params.arguments ?? {}) as Record<string, unknown>;
        handler
          .handler(args)
          .then((content) => {
            this.writeCallbackResponse(requestId, { content, is_error: false });
          })
          .catch((err: unknown) => {
            this.writeCallbackResponse(requestId, {
              content: `Tool error: ${err}`,
              is_error: true,
            });
          });
      } else {
        this.writeCallbackResponse(requestId, {
          content: `Unknown tool: ${toolName}`,
          is_error: true,
        });
      }
    } else {
      // Unknown callback method.
      const response = {
        jsonrpc: "2.0",
        id: requestId,
        error: { code: -32601, message: `Method not supported: ${method}` },
      };
      this.process?.stdin?.write(JSON.stringify(response) + "\n");
    }
  }

  private writeCallbackResponse(
    requestId: unknown,
    result: { content: string | ContentBlock[]; is_error: boolean },
  ): void {
    const response = { jsonrpc: "2.0", id: requestId, result };
    this.process?.stdin?.write(JSON.stringify(response) + "\n");
  }

  private static buildCreateParams(
    prompt: string | ContentBlock[],
    options?: SessionOptions,
  ): Record<string, unknown> {
    const params: Record<string, unknown> = { prompt };
    if (!options) return params;

    if (options.injectedContext != null) params.injected_context = options.injectedContext;
    if (options.transientTurnContext != null) {
      params.transient_turn_context = options.transientTurnContext;
    }
    if (options.model) params.model = options.model;
    if (options.provider) params.provider = options.provider;
    if (options.systemPrompt !== undefined) params.system_prompt = options.systemPrompt;
    if (options.maxTokens) params.max_tokens = options.maxTokens;
    if (options.outputSchema != null) params.output_schema = options.outputSchema;
    if (options.structuredOutputRetries != null) {
      params.structured_output_retries = options.structuredOutputRetries;
    }
    if (options.hooksOverride != null) params.hooks_override = options.hooksOverride;
    if (options.enableBuiltins != null) params.enable_builtins = options.enableBuiltins;
    if (options.enableShell != null) params.enable_shell = options.enableShell;
    if (options.enableMemory != null) params.enable_memory = options.enableMemory;
    if (options.enableSchedule != null) params.enable_schedule = options.enableSchedule;
    if (options.enableWorkGraph != null) params.enable_workgraph = options.enableWorkGraph;
    if (options.enableMob != null) params.enable_mob = options.enableMob;
    if (options.enableWebSearch != null) params.enable_web_search = options.enableWebSearch;
    if (options.toolFilter != null) params.tool_filter = options.toolFilter;
    if (options.keepAlive != null) params.keep_alive = options.keepAlive;
    if (options.commsName) params.comms_name = options.commsName;
    if (options.peerMeta != null) params.peer_meta = options.peerMeta;
    if (options.budgetLimits != null) params.budget_limits = options.budgetLimits;
    if (options.providerParams != null) params.provider_params = options.providerParams;
    if (options.authBinding != null) params.auth_binding = options.authBinding;
    if (options.preloadSkills != null) {
      params.preload_skills = skillKeysToWire(options.preloadSkills);
    }
    const wireRefs = skillRefsToWire(options.skillRefs);
    if (wireRefs) params.skill_refs = wireRefs;
    if (options.labels != null) params.labels = options.labels;
    if (options.additionalInstructions != null) {
      params.additional_instructions = options.additionalInstructions;
    }
    if (options.appContext !== undefined) params.app_context = options.appContext;
    if (options.shellEnv != null) params.shell_env = options.shellEnv;
    if (options.externalTools != null) params.external_tools = options.externalTools;
    return params;
  }

  // -- Binary resolution --------------------------------------------------

  private static commandPath(command: string): string | null {
    if (path.isAbsolute(command)) {
      return existsSync(command) ? command : null;
    }
    const pathEnv = process.env.PATH ?? "";
    if (!pathEnv) return null;
    const exts =
      process.platform === "win32"
        ? (process.env.PATHEXT ?? ".EXE;.CMD;.BAT;.COM")
            .split(";")
            .filter((ext: string) => ext.length > 0)
        : [""];
    for (const dir of pathEnv.split(path.delimiter)) {
      if (!dir) continue;
      for (const ext of exts) {
        const candidate =
          process.platform === "win32" &&
          ext &&
          !command.toLowerCase().endsWith(ext.toLowerCase())
            ? `${command}${ext}`
            : command;
        const fullPath = path.join(dir, candidate);
        if (existsSync(fullPath)) return fullPath;
      }
    }
    return null;
  }

  private static resolveCandidatePath(commandOrPath: string): string | null {
    if (commandOrPath.includes(path.sep) || commandOrPath.includes("/")) {
      const candidate = path.resolve(commandOrPath);
      return existsSync(candidate) ? candidate : null;
    }
    return MeerkatClient.commandPath(commandOrPath);
  }

  private static platformTarget(): PlatformTarget {
    const architecture = os.arch();
    if (process.platform === "darwin") {
      if (architecture === "arm64") {
        return { target: "aarch64-apple-darwin", archiveExt: "tar.gz", binaryName: "rkat-rpc" };
      }
      throw new MeerkatError("UNSUPPORTED_PLATFORM", `Unsupported macOS architecture '${architecture}'.`);
    }
    if (process.platform === "linux") {
      if (architecture === "x64") return { target: "x86_64-unknown-linux-gnu", archiveExt: "tar.gz", binaryName: "rkat-rpc" };
      if (architecture === "arm64") return { target: "aarch64-unknown-linux-gnu", archiveExt: "tar.gz", binaryName: "rkat-rpc" };
      throw new MeerkatError("UNSUPPORTED_PLATFORM", `Unsupported Linux architecture '${architecture}'.`);
    }
    if (process.platform === "win32") {
      if (architecture === "x64") return { target: "x86_64-pc-windows-msvc", archiveExt: "zip", binaryName: "rkat-rpc.exe" };
      throw new MeerkatError("UNSUPPORTED_PLATFORM", `Unsupported Windows architecture '${architecture}'.`);
    }
    throw new MeerkatError("UNSUPPORTED_PLATFORM", `Unsupported platform '${process.platform}'.`);
  }

  private static async runCommand(command: string, args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const options: SpawnOptions = { stdio: ["ignore", "inherit", "pipe"] };
      const proc = spawn(command, args, options);
      let stderr = "";
      proc.stderr?.on("data", (chunk: string | Buffer) => { stderr += String(chunk); });
      proc.on("error", (error: Error) => { reject(error); });
      proc.on("close", (code: number | null) => {
        if (code === 0) { resolve(); return; }
        reject(new MeerkatError("ARCHIVE_EXTRACT_FAILED", `${command} failed with code ${code}: ${stderr.trim()}`));
      });
    });
  }

  private static async extractZip(archivePath: string, destinationDir: string): Promise<void> {
    try {
      await MeerkatClient.runCommand("tar", ["-xf", archivePath, "-C", destinationDir]);
    } catch {
      await MeerkatClient.runCommand("powershell", [
        "-NoProfile", "-Command",
        `Expand-Archive -LiteralPath '${archivePath.replaceAll("'", "''")}' -DestinationPath '${destinationDir.replaceAll("'", "''")}' -Force`,
      ]);
    }
  }

  private static async ensureDownloadedBinary(): Promise<string> {
    const { target, archiveExt, binaryName } = MeerkatClient.platformTarget();
    const version = CONTRACT_VERSION;
    const asset = `${MEERKAT_RELEASE_BINARY}-v${version}-${target}.${archiveExt}`;
    const url = `https://github.com/${MEERKAT_REPO}/releases/download/v${version}/${asset}`;
    const baseDir = path.join(MEERKAT_BINARY_CACHE_ROOT, `v${version}`, target);
    mkdirSync(baseDir, { recursive: true });
    const cached = path.join(baseDir, binaryName);
    if (existsSync(cached)) return cached;

    const response = await fetch(url);
    if (!response.ok) {
      throw new MeerkatError("BINARY_DOWNLOAD_FAILED", `Failed to download binary from ${url} (HTTP ${response.status})`);
    }
    const arrayBuffer = await response.arrayBuffer();
    const archivePath = path.join(baseDir, asset);
    writeFileSync(archivePath, Buffer.from(arrayBuffer));

    try {
      if (archiveExt === "tar.gz") {
        await MeerkatClient.runCommand("tar", ["-xzf", archivePath, "-C", baseDir]);
      } else {
        await MeerkatClient.extractZip(archivePath, baseDir);
      }
    } catch (error) {
      throw new MeerkatError("BINARY_DOWNLOAD_EXTRACT_FAILED", `Failed to extract ${archivePath}: ${String(error)}`);
    } finally {
      try { unlinkSync(archivePath); } catch { /* best-effort cleanup */ }
    }

    if (process.platform !== "win32") chmodSync(cached, 0o755);
    return cached;
  }

  private static async resolveBinaryPath(requestedPath: string): Promise<ResolvedBinary> {
    const overridden = process.env.MEERKAT_BIN_PATH?.trim();
    if (overridden) {
      const candidate = MeerkatClient.resolveCandidatePath(overridden);
      if (!candidate) {
        throw new MeerkatError("BINARY_NOT_FOUND", `Binary not found at MEERKAT_BIN_PATH='${overridden}'.`);
      }
      return { command: candidate, useLegacySubcommand: path.basename(candidate) === "rkat" };
    }

    if (requestedPath !== "rkat-rpc") {
      const candidate = MeerkatClient.resolveCandidatePath(requestedPath);
      if (!candidate) {
        throw new MeerkatError("BINARY_NOT_FOUND", `Binary not found at '${requestedPath}'.`);
      }
      return { command: candidate, useLegacySubcommand: path.basename(candidate) === "rkat" };
    }

    const defaultBinary = MeerkatClient.commandPath("rkat-rpc");
    if (defaultBinary) return { command: defaultBinary, useLegacySubcommand: false };

    try {
      const downloaded = await MeerkatClient.ensureDownloadedBinary();
      return { command: downloaded, useLegacySubcommand: false };
    } catch (error) {
      const legacy = MeerkatClient.commandPath("rkat");
      if (legacy) return { command: legacy, useLegacySubcommand: true };
      if (error instanceof MeerkatError) throw error;
      throw new MeerkatError("BINARY_NOT_FOUND", `Could not find '${MEERKAT_RELEASE_BINARY}' and auto-download failed.`);
    }
  }

  private static buildArgs(legacy: boolean, options?: ConnectOptions): string[] {
    if (legacy) return ["rpc"];
    const args: string[] = [];
    if (!options) return args;
    if (options.liveWs) args.push("--live-ws", "127.0.0.1:0");
    if (options.liveWebrtc) args.push("--live-webrtc");
    if (options.liveToolTimeoutMs != null) {
      args.push("--live-tool-timeout-ms", String(options.liveToolTimeoutMs));
    }
    if (options.isolated) args.push("--isolated");
    if (options.realmId) args.push("--realm", options.realmId);
    if (options.instanceId) args.push("--instance", options.instanceId);
    if (options.realmBackend) args.push("--realm-backend", options.realmBackend);
    if (options.stateRoot) args.push("--state-root", options.stateRoot);
    if (options.contextRoot) args.push("--context-root", options.contextRoot);
    if (options.userConfigRoot) args.push("--user-config-root", options.userConfigRoot);
    return args;
  }
}
