/** Frame types of the helper protocol. */
export declare const FRAME: Readonly<{ CONTROL: 1; CIPHERTEXT: 2; PLAINTEXT: 3 }>;
/** A frame type. */
export type FrameType = 1 | 2 | 3;
/** Largest ciphertext or plaintext payload. */
export declare const MAX_DATA_PAYLOAD: number;
/** Largest control (JSON) payload. */
export declare const MAX_CONTROL_PAYLOAD: number;
/** A frame the decoder refused: unknown type or a length above its bound. */
export declare class FrameError extends Error {}
/** One decoded frame. */
export interface Frame {
  type: number;
  payload: Uint8Array;
}
/** A control message: JSON with a `type`. */
export interface ControlMessage {
  type: string;
  [key: string]: unknown;
}
/** The 5-byte header of a frame. */
export declare function frameHeader(type: FrameType, length: number): Uint8Array;
/** One frame as bytes. */
export declare function encodeFrame(type: FrameType, payload: Uint8Array): Uint8Array;
/** The frames that carry `data`, each at most MAX_DATA_PAYLOAD. */
export declare function encodeData(type: FrameType, data: Uint8Array): Uint8Array[];
/** A control frame carrying `message` as JSON. */
export declare function encodeControl(message: ControlMessage): Uint8Array;
/** The JSON object a control payload carries. */
export declare function decodeControl(payload: Uint8Array): ControlMessage;
/** Turns a byte stream into whole, bounded frames. */
export declare class FrameDecoder {
  push(chunk: Uint8Array): Frame[];
  readonly bufferedBytes: number;
}
/** Bytes of one stream a sender may have in flight. */
export declare const WINDOW: number;
/** Credit is returned in batches of at least this many bytes. */
export declare const CREDIT_BATCH: number;
/** The sending side of one stream's credit window. */
export declare class SendWindow {
  constructor(onOpen: () => void);
  readonly open: boolean;
  take(n: number): boolean;
  give(n: number): void;
}
/** The receiving side of one stream: returns credit once bytes were taken on. */
export declare class CreditReturn {
  constructor(send: (bytes: number) => void);
  delivered(n: number, accepted: boolean): void;
  drained(): void;
  readonly blocked: boolean;
}
