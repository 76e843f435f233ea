using CbbToolkit.Testing.Certificates;
using CbbToolkit.Channels.Tests.TestSupport;
using Xunit;

[assembly: AssemblyFixture(typeof(CertificateStore))]
