export { createEngine } from "../engine/create-engine.js";
export { detectHostAddress } from "../host/host-address.js";
