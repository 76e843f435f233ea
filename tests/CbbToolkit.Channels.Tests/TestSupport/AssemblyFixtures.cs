using CbbToolkit.Testing.Certificates;
using Xunit;

[assembly: AssemblyFixture(typeof(CertificateStore))]
