using Xunit;
using CbbToolkit.ChannelBinding.Tests.TestSupport;

[assembly: AssemblyFixture(typeof(CertificateStore))]
