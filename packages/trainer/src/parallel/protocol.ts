/** Messages between the trainer and its data-parallel workers. */
import type { BackendChoice } from '../backend/selectBackend.ts';
import type { StepConfig, StepInput } from '../train/computeStep.ts';

/** Sent once: the model (tfjs artifacts) and the step settings. */
export interface InitMessage {
  type: 'init';
  backend: BackendChoice;
  modelTopology: object;
  weightSpecs: unknown[];
  weightData: ArrayBuffer;
  config: StepConfig;
}

/** One step: the current weights (model.weights order) and this worker's batch. */
export interface StepMessage {
  type: 'step';
  id: number;
  weights: Float32Array[];
  input: StepInput;
}

/** A worker's answer to a step. */
export interface StepReply {
  id: number;
  grads?: Float32Array[];
  /** Non-trainable weights after the step (batch-norm moving statistics), model.nonTrainableWeights order. */
  state?: Float32Array[];
  lossSum?: number;
  active?: number;
  count?: number;
  error?: { message: string; code?: string; hint?: string };
  ready?: boolean;
}
