using System.Diagnostics.CodeAnalysis;

// The draft's C-shaped facade keeps the draft's names (ipsec_create_policy, IPSEC_CI_...) so code ports line by line;
// nowhere else in src/ may a name contain an underscore.
[assembly: SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "The draft's C names, kept on purpose (docs/api.md).", Scope = "namespaceanddescendants", Target = "~N:CbbToolkit.Channels.DraftApi")]
