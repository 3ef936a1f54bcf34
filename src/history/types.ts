/**
 * What the run store keeps about a run. A stored run is a summary (the same SummaryData that
 * `--summary-export` writes, with its per-second series and HDR-encoded histograms) plus the
 * identity that says what ran, where and from which commit.
 */
import type { SummaryData } from '../summary/types.js';

export interface GitInfo {
  commit: string;
  /** Branch name; in a detached checkout, the CI's branch variable if any, else 'HEAD'. */
  branch: string;
  /** True when tracked files had uncommitted changes. */
  dirty: boolean;
}

export interface RunIdentity {
  /** The test: the script path relative to the git checkout root (or the working directory), `/`-separated. */
  test: string;
  /** sha256 of the script file (first 16 hex digits). */
  scriptHash: string;
  /** sha256 of the scenarios, thresholds and tags as they ran (first 16 hex digits). */
  optionsHash: string;
  git: GitInfo | undefined;
  /** `--label key=value` pairs. */
  labels: Record<string, string>;
  version: string;
  machine: { hostname: string; platform: string; arch: string; cpus: number; cpuModel: string; memoryBytes: number; node: string };
}

/** The few figures `volley runs` lists without loading a run. */
export interface KeyMetrics {
  requests: number;
  /** http_reqs per second. */
  rps: number;
  /** http_req_failed rate, 0..1. */
  errorRate: number;
  /** http_req_duration p(95) and p(99), ms (null without HTTP requests). */
  p95: number | null;
  p99: number | null;
  iterations: number;
}

export interface RunInfo {
  id: number;
  /** Epoch ms. */
  startedAt: number;
  durationMs: number;
  identity: RunIdentity;
  /** Thresholds held and the run was not aborted (exit code 0). */
  passed: boolean;
  exitCode: number;
  keyMetrics: KeyMetrics;
}

export interface StoredRun extends RunInfo {
  summary: SummaryData;
}

export interface RunFilter {
  test?: string | undefined;
  branch?: string | undefined;
  labels?: Record<string, string> | undefined;
  passed?: boolean | undefined;
  /** Only runs with a smaller id (older). */
  beforeId?: number | undefined;
  /** Newest first; default 50. */
  limit?: number | undefined;
}
