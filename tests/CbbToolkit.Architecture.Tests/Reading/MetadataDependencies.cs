using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using CbbToolkit.Architecture.Tests.Rules;

namespace CbbToolkit.Architecture.Tests.Reading;

/// <summary>
/// Reads dependencies out of a built assembly with System.Reflection.Metadata: the assemblies it references, and for
/// each of its namespaces the namespaces its types use - in base types, interfaces, generic constraints, attributes,
/// fields, signatures, locals and the IL of method bodies. Constants are inlined by the compiler and leave no trace;
/// that is fine, a constant couples nothing at run time.
/// </summary>
internal static class MetadataDependencies
{
    /// <summary>The names of the assemblies <paramref name="path"/> references.</summary>
    public static IReadOnlyList<Dependency> ReadAssemblyReferences(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var reader = pe.GetMetadataReader();
        var self = reader.GetString(reader.GetAssemblyDefinition().Name);
        return [.. reader.AssemblyReferences.Select(h => new Dependency(self, reader.GetString(reader.GetAssemblyReference(h).Name), Path.GetFileName(path)))];
    }

    /// <summary>
    /// One edge per (namespace, used namespace) pair, mapped through <paramref name="node"/> (namespace, whether the
    /// type is defined in this assembly) -> node, e.g. to fold sub-namespaces into their folder, or to tell the
    /// assembly's own types in a framework namespace (DI extensions) from the framework's; the evidence names the first
    /// using type and the type it uses.
    /// </summary>
    public static IReadOnlyList<Dependency> ReadNamespaceDependencies(string path, Func<string, bool, string> node)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var reader = pe.GetMetadataReader();
        var edges = new Dictionary<(string, string), Dependency>();

        foreach (var handle in reader.TypeDefinitions)
        {
            var (ns, fullName) = TypeNames.Of(reader, handle);
            if (ns.Length == 0)
            {
                continue; // <Module>, <PrivateImplementationDetails>: the compiler's, shared by all
            }

            var from = node(ns, true);
            var collector = new TypeCollector(reader, (usedNs, usedName, own) =>
            {
                if (usedNs.Length == 0)
                {
                    return;
                }

                var to = node(usedNs, own);
                edges.TryAdd((from, to), new Dependency(from, to, $"{fullName} uses {usedName}"));
            });
            Collect(pe, reader, reader.GetTypeDefinition(handle), collector);
        }

        return [.. edges.Values];
    }

    private static void Collect(PEReader pe, MetadataReader reader, TypeDefinition type, TypeCollector collector)
    {
        collector.Add(type.BaseType);
        foreach (var i in type.GetInterfaceImplementations())
        {
            collector.Add(reader.GetInterfaceImplementation(i).Interface);
        }

        CollectGenericParameters(reader, type.GetGenericParameters(), collector);
        CollectAttributes(reader, type.GetCustomAttributes(), collector);

        foreach (var f in type.GetFields())
        {
            var field = reader.GetFieldDefinition(f);
            field.DecodeSignature(collector, null);
            CollectAttributes(reader, field.GetCustomAttributes(), collector);
        }

        foreach (var p in type.GetProperties())
        {
            var property = reader.GetPropertyDefinition(p);
            property.DecodeSignature(collector, null);
            CollectAttributes(reader, property.GetCustomAttributes(), collector);
        }

        foreach (var e in type.GetEvents())
        {
            collector.Add(reader.GetEventDefinition(e).Type);
        }

        foreach (var m in type.GetMethods())
        {
            var method = reader.GetMethodDefinition(m);
            method.DecodeSignature(collector, null);
            CollectAttributes(reader, method.GetCustomAttributes(), collector);
            CollectGenericParameters(reader, method.GetGenericParameters(), collector);
            foreach (var p in method.GetParameters())
            {
                CollectAttributes(reader, reader.GetParameter(p).GetCustomAttributes(), collector);
            }

            if (method.RelativeVirtualAddress == 0)
            {
                continue; // abstract, extern (P/Invoke)
            }

            var body = pe.GetMethodBody(method.RelativeVirtualAddress);
            collector.Add(body.LocalSignature);
            foreach (var region in body.ExceptionRegions)
            {
                collector.Add(region.CatchType);
            }

            foreach (var token in IlTokens.Of(body))
            {
                collector.Add(token);
            }
        }
    }

    private static void CollectAttributes(MetadataReader reader, CustomAttributeHandleCollection attributes, TypeCollector collector)
    {
        foreach (var a in attributes)
        {
            collector.Add(reader.GetCustomAttribute(a).Constructor);
        }
    }

    private static void CollectGenericParameters(MetadataReader reader, GenericParameterHandleCollection parameters, TypeCollector collector)
    {
        foreach (var g in parameters)
        {
            foreach (var c in reader.GetGenericParameter(g).GetConstraints())
            {
                collector.Add(reader.GetGenericParameterConstraint(c).Type);
            }
        }
    }
}
