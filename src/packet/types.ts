/**
 * Layer objects returned by {@link decodePacket}. Field names follow the RFCs and tshark
 * (dataOffset, hopLimit, windowSize, seqRaw...). Lengths are in bytes unless a name says
 * otherwise. A field is `undefined` when its bytes were not captured (the layer is then
 * `truncated`) or lie past the length the enclosing header declares (`malformed`).
 */

/** Checksum verdict, numbered like tshark's `*.checksum.status`. */
export const ChecksumStatus = {
  BAD: 0,
  GOOD: 1,
  /** Not verified: bytes missing (cut by the snapshot length), or a fragment. */
  UNVERIFIED: 2,
  /** UDP over IPv4 with checksum field 0 (RFC 768: "no checksum"). */
  NOT_PRESENT: 3,
} as const;
export type ChecksumStatus = (typeof ChecksumStatus)[keyof typeof ChecksumStatus];

export interface LayerBase {
  /** Byte offset of the header in the frame. */
  offset: number;
  /** Header length in bytes (as parsed; may exceed what was captured when truncated). */
  headerLength: number;
  /** The header was cut short by the capture (snapshot length): tshark's "[Packet size limited during capture]". */
  truncated: boolean;
  /** A length field contradicts the bytes (tshark's "[Malformed Packet]"), or a value is invalid. */
  malformed: boolean;
  /** Why the layer is truncated/malformed, when it is. */
  problem?: string;
}

export interface EthernetLayer extends LayerBase {
  type: 'eth';
  dst?: string;
  src?: string;
  /** EtherType, or an 802.3 length (<= 1500, then an LLC header follows). */
  etherType?: number;
}

export interface VlanLayer extends LayerBase {
  type: 'vlan';
  /** Tag protocol identifier that introduced this tag (0x8100, 0x88a8, 0x9100). */
  tpid: number;
  pcp?: number;
  dei?: number;
  id?: number;
  etherType?: number;
}

export interface SllLayer extends LayerBase {
  type: 'sll';
  /** 1 for LINKTYPE_LINUX_SLL, 2 for LINUX_SLL2. */
  version: 1 | 2;
  packetType?: number;
  arphrdType?: number;
  addressLength?: number;
  address?: Uint8Array;
  /** The whole 8-byte address field, padding included (a view into the frame). */
  addressField?: Uint8Array;
  /** Protocol (EtherType, or 1 = 802.3, 4 = 802.2 LLC). */
  protocol?: number;
  /** SLL2 only. */
  interfaceIndex?: number;
  /** SLL2 only: the reserved 16 bits after the protocol. */
  reserved?: number;
}

export interface NullLayer extends LayerBase {
  type: 'null';
  /** Address family (AF_INET 2; AF_INET6 24, 28 or 30), in the capturing host's byte order. */
  family?: number;
  /** The family word was little-endian (LINKTYPE_NULL from a little-endian host). */
  littleEndian?: boolean;
  /** LINKTYPE_IPNET (24-byte Solaris header) rather than NULL/LOOP. */
  ipnet?: boolean;
}

export interface PppLayer extends LayerBase {
  type: 'ppp';
  protocol?: number;
}

export interface LlcLayer extends LayerBase {
  type: 'llc';
  dsap?: number;
  ssap?: number;
  control?: number;
}

export interface ArpLayer extends LayerBase {
  type: 'arp';
  hardwareType?: number;
  protocolType?: number;
  hardwareSize?: number;
  protocolSize?: number;
  opcode?: number;
  senderHardware?: Uint8Array;
  senderProtocol?: Uint8Array;
  targetHardware?: Uint8Array;
  targetProtocol?: Uint8Array;
}

export interface Ipv4Layer extends LayerBase {
  type: 'ipv4';
  version: number;
  /** IHL × 4, bytes. */
  ihl?: number;
  dscp?: number;
  ecn?: number;
  /** Total length field as on the wire (0 with TSO/BIG TCP). */
  totalLength?: number;
  /** Total length used for bounds: `totalLength`, or the captured frame length when it is 0. */
  effectiveLength?: number;
  identification?: number;
  /** The 3-bit flags field: 0x4 reserved, 0x2 DF, 0x1 MF. */
  flags?: number;
  /** In 8-byte units (raw 13-bit value). */
  fragmentOffset?: number;
  ttl?: number;
  protocol?: number;
  checksum?: number;
  checksumStatus?: ChecksumStatus;
  src?: string;
  dst?: string;
  /** Options bytes (offset, length in the frame), kept raw. */
  options?: { offset: number; length: number };
  /** The same options bytes (a view into the frame). */
  optionBytes?: Uint8Array;
  /**
   * The options one by one (RFC 791 §3.1): type (copied flag, class and number in one octet,
   * e.g. 7 record route, 68 timestamp, 131/137 loose/strict source route, 148 router alert),
   * offset and length in the frame. An option whose length octet is impossible ends the list.
   */
  optionList?: Array<{ type: number; offset: number; length: number }>;
}

export interface Ipv6Extension {
  /** Next-header value that introduced this header (0 HBH, 43 routing, 44 fragment, 60 dest. options, 51 AH). */
  kind: number;
  offset: number;
  length: number;
  nextHeader?: number;
  /** Fragment header. */
  fragmentOffset?: number;
  more?: boolean;
  ident?: number;
  /** Routing header. */
  routingType?: number;
  segmentsLeft?: number;
  /** Hop-by-hop jumbo payload option (RFC 2675). */
  jumboLength?: number;
  /** The whole extension header (a view into the frame). */
  bytes?: Uint8Array;
}

export interface Ipv6Layer extends LayerBase {
  type: 'ipv6';
  version: number;
  trafficClass?: number;
  flowLabel?: number;
  payloadLength?: number;
  nextHeader?: number;
  hopLimit?: number;
  src?: string;
  dst?: string;
  extensions: Ipv6Extension[];
  /** Upper-layer protocol found at the end of the extension chain. */
  upperProtocol?: number;
}

export interface TcpOption {
  kind: number;
  offset: number;
  length: number;
}

export interface TcpLayer extends LayerBase {
  type: 'tcp';
  srcPort?: number;
  dstPort?: number;
  seqRaw?: number;
  ackRaw?: number;
  /** Data offset × 4, bytes. */
  dataOffset?: number;
  /** 12-bit flags: AE(0x100) CWR ECE URG ACK PSH RST SYN FIN(0x001). */
  flags?: number;
  windowSize?: number;
  checksum?: number;
  checksumStatus?: ChecksumStatus;
  urgentPointer?: number;
  mss?: number;
  windowScale?: number;
  sackPermitted?: boolean;
  sack?: Array<[number, number]>;
  tsval?: number;
  tsecr?: number;
  tfoCookie?: Uint8Array;
  /** Every option, known or not, kept raw (MPTCP included). */
  options: TcpOption[];
  /** The options area, padding included (a view into the frame). */
  optionBytes?: Uint8Array;
}

export interface UdpLayer extends LayerBase {
  type: 'udp';
  srcPort?: number;
  dstPort?: number;
  /** Length field (header + data). */
  length?: number;
  checksum?: number;
  checksumStatus?: ChecksumStatus;
}

export interface IcmpLayer extends LayerBase {
  type: 'icmp' | 'icmpv6';
  icmpType?: number;
  code?: number;
  checksum?: number;
  checksumStatus?: ChecksumStatus;
}

export interface VxlanLayer extends LayerBase {
  type: 'vxlan';
  flags?: number;
  vni?: number;
}

export interface GeneveLayer extends LayerBase {
  type: 'geneve';
  version?: number;
  optionsLength?: number;
  protocol?: number;
  vni?: number;
}

export interface GreLayer extends LayerBase {
  type: 'gre';
  flags?: number;
  version?: number;
  protocol?: number;
  checksum?: number;
  key?: number;
  sequence?: number;
}

export interface DnsLayer extends LayerBase {
  type: 'dns';
  id?: number;
  flags?: number;
  qdcount?: number;
  ancount?: number;
  nscount?: number;
  arcount?: number;
  /** Question names, decompressed (loop-safe); "<Root>" for the root. */
  questions: Array<{ name: string; qtype?: number; qclass?: number }>;
}

export interface TeredoLayer extends LayerBase {
  type: 'teredo';
}

/** Cisco MetaData (EtherType 0x8909): security group tag, then the next EtherType. */
export interface CmdLayer extends LayerBase {
  type: 'cmd';
  sgt?: number;
  etherType?: number;
}

export interface MplsLayer extends LayerBase {
  type: 'mpls';
  label?: number;
  bottom?: boolean;
}

export type Layer =
  | EthernetLayer
  | VlanLayer
  | SllLayer
  | NullLayer
  | PppLayer
  | LlcLayer
  | ArpLayer
  | Ipv4Layer
  | Ipv6Layer
  | TcpLayer
  | UdpLayer
  | IcmpLayer
  | VxlanLayer
  | GeneveLayer
  | GreLayer
  | DnsLayer
  | TeredoLayer
  | MplsLayer
  | CmdLayer;

export interface DecodedPacket {
  linkType: number;
  /** Every layer, outermost first (tunnels and ICMP-quoted headers give repeated types). */
  layers: Layer[];
  eth?: EthernetLayer;
  vlan: VlanLayer[];
  ipv4?: Ipv4Layer;
  ipv6?: Ipv6Layer;
  tcp?: TcpLayer;
  udp?: UdpLayer;
  icmp?: IcmpLayer;
  arp?: ArpLayer;
  dns?: DnsLayer;
  /** Bytes after the last decoded header, bounded by the enclosing length fields (no padding/FCS). */
  payload: { offset: number; length: number };
  /**
   * The codec the payload is for, when known: 'http2' (decode-as rule or the connection preface
   * "PRI * HTTP/2.0"), 'quic' (UDP port 443 with the QUIC fixed bit set, RFC 9000 §17). The
   * payload is handed over as bytes; those codecs decode it.
   */
  payloadProtocol?: 'http2' | 'quic';
  /** Some layer was cut short by the capture. */
  truncated: boolean;
  /** Some layer is malformed. */
  malformed: boolean;
}
