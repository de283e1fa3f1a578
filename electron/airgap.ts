// The air-gap self-check (ARCHITECTURE "No network, in layers", 7): any network interface that is up and not
// loopback means this machine is not air-gapped. The app still runs (the operator may be preparing it), but a
// persistent banner says so and what to do. Pure over the os.networkInterfaces() shape, so it is testable.
import type { AirGapReport } from '../shared/contract';

export interface InterfaceAddress {
  family: string | number;
  internal: boolean;
  address?: string;
}

export type InterfaceTable = Record<string, InterfaceAddress[] | undefined>;

export function checkAirGap(table: InterfaceTable): AirGapReport {
  const interfaces: AirGapReport['interfaces'] = [];
  for (const [name, addrs] of Object.entries(table)) {
    for (const a of addrs ?? []) {
      if (a.internal) continue;
      // Node < 18.4 reported family as a number (4/6); normalise for the message.
      const family = typeof a.family === 'number' ? `IPv${a.family}` : a.family;
      if (!interfaces.some((i) => i.name === name && i.family === family)) interfaces.push({ name, family });
    }
  }
  if (interfaces.length === 0) return { ok: true, interfaces, advice: '' };
  const names = [...new Set(interfaces.map((i) => i.name))].join(', ');
  return {
    ok: false,
    interfaces,
    advice:
      `This computer is connected to a network (${names}). Disconnect network cables, disable Wi-Fi and Bluetooth ` +
      `(or use a machine without network hardware) before handling keys, then restart the app.`,
  };
}
