export { pinTickMaps, tickMapsPinned } from './tick-maps.ts';
