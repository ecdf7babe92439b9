export { mean, sampleSd, sampleVariance } from './lib/descriptive';
export {
  correlationInference,
  pearson,
  pearsonFromSums,
  pointBiserial,
  rank,
  spearman,
  Z_975,
  type BivariateSums,
  type CorrelationInference,
} from './lib/correlation';
export { operationalValidity, rangeRestrictionCaseII, sampleSizeForR } from './lib/corrections';
export { auc, type AucResult } from './lib/auc';
export {
  iccOneWayUnbalanced,
  iccShroutFleiss,
  type IccEstimate,
  type IccMeanSquares,
  type ShroutFleissIcc,
  type UnbalancedIcc,
} from './lib/icc';
export { krippendorffAlpha, type KrippendorffAlphaResult, type KrippendorffMetric } from './lib/krippendorff';
export {
  crossValidatedR,
  foldAssignment,
  olsRegression,
  recommendedWeights,
  relativeWeights,
  type Coefficient,
  type CrossValidatedR,
  type OlsResult,
  type PredictorResult,
  type RecommendedWeights,
} from './lib/regression';
export {
  chisquareCdf,
  fCdf,
  fQuantile,
  normalCdf,
  normalQuantile,
  tCdf,
  tQuantile,
} from './lib/distributions';
export { wilsonInterval, type ProportionInterval } from './lib/wilson';
export { quantileLinear } from './lib/quantile';
export {
  chiSquareIndependence,
  fisherExact2x2,
  twoProportionZTest,
  type ChiSquareTest,
  type TwoProportionZ,
} from './lib/contingency';
export {
  fourFifthsFlag,
  impactAnalysis,
  underShare,
  type GroupCounts,
  type GroupImpact,
  type ImpactAnalysis,
} from './lib/adverse-impact';
export {
  clearyDifferentialPrediction,
  compareCorrelations,
  correlationHeterogeneity,
  type ClearyResult,
  type CorrelationDifference,
  type CorrelationHeterogeneity,
  type GroupedObservation,
  type NestedTest,
} from './lib/differential';
