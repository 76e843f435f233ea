namespace CbbToolkit.Http.Tests.Support;

public sealed record WhoAmI(bool Tls, string Protocol, string? ClientCertificate, string Authorization, string Host);
