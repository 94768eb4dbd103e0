/**
 * wirekit allreduce planner: exact ring-allreduce arithmetic (block partitions of Open MPI,
 * MPICH, NCCL and Gloo, per-rank schedules, traffic, cost models, DDP bucketing) and a
 * bit-exact in-process emulation with a reference reduction kernel.
 */
export {
  type Chunk,
  type GlooGeometry,
  type PartitionOptions,
  type Scheme,
  MAX_COUNT,
  MAX_RANKS,
  SCHEMES,
  glooGeometry,
  ompiBlockCount,
  partition,
} from './partition.js';
export {
  type NcclSliceOptions,
  type RingSchedule,
  type RingStep,
  type ScheduleOptions,
  type StepPhase,
  ompiSegCount,
  ompiSegmentedPhases,
  ringSchedule,
} from './schedule.js';
export {
  type Algorithm,
  type Collective,
  type CostParams,
  type RankTraffic,
  type Recommendation,
  ALGORITHMS,
  busBandwidth,
  busBandwidthFactor,
  bytesPerRank,
  estimateTime,
  recommendAlgorithm,
} from './cost.js';
export { type Bucket, type BucketOptions, type GradTensor, DTYPE_BYTES, assignBuckets } from './bucket.js';
export {
  type DType,
  type MinMaxPolicy,
  type ReduceOp,
  type ReduceOptions,
  type ReducibleArray,
  dtypeOf,
  reduceInto,
} from './reduce.js';
export { type RingAllReduceOptions, ringAllReduce, sequentialReduce } from './emulate.js';
