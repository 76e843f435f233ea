using System.Diagnostics.CodeAnalysis;

// CA2213 on gates and lifetime tokens: a SemaphoreSlim whose AvailableWaitHandle is never read, and a
// CancellationTokenSource without a timer, hold nothing to release; disposing them in Dispose would instead strand
// the callers still queued on the gate (they wake, see "disposed" and throw) or make a racing reader of Token throw.
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Justification = "Gate: nothing to release; disposing would strand queued callers.", Scope = "member", Target = "~F:CbbToolkit.Ipsec.Netlink.NetlinkChannel._gate")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Justification = "Gate: nothing to release; disposing would strand queued callers.", Scope = "member", Target = "~F:CbbToolkit.Ipsec.Xfrm.XfrmMonitor._gate")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Justification = "Gate: nothing to release; disposing would strand queued callers.", Scope = "member", Target = "~F:CbbToolkit.Ipsec.Resolution.XfrmStateCache._gate")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Justification = "Gate: nothing to release; disposing would strand queued callers.", Scope = "member", Target = "~F:CbbToolkit.Ipsec.Vici.ViciClient._gate")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Justification = "Cancelled in DisposeAsync, no timer: nothing to release; in-flight streams still read its Token.", Scope = "member", Target = "~F:CbbToolkit.Ipsec.Vici.ViciClient._lifetime")]

// CA2000 where the analyzer cannot follow a hand-over through a constructor initializer: this(new ViciClient(...),
// ownsClient: true) stores the client, which the source disposes; nothing between creation and storing can throw.
[assembly: SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "Handed to this(client, ownsClient: true), which owns and disposes it.", Scope = "member", Target = "~M:CbbToolkit.Ipsec.Resolution.ViciPeerSource.#ctor(System.String)")]
