export { demoOptionSpecs } from './demoOptionSpecs.ts';
export { exportMnist } from './exportMnist.ts';
export { type DemoOptions, type DemoResult, type DemoScores, runDemo } from './runDemo.ts';
export { writeReport } from './writeReport.ts';
