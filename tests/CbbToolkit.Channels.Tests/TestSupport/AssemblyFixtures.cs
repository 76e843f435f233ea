using Xunit;
using CbbToolkit.Channels.Tests.TestSupport;

[assembly: AssemblyFixture(typeof(CertificateStore))]
