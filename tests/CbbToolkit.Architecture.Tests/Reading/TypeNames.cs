using System.Reflection.Metadata;

namespace CbbToolkit.Architecture.Tests.Reading;

/// <summary>
/// The namespace and full name of a type in metadata. A nested type (a closure, an async state machine, a private
/// helper) counts as part of the namespace of its outermost declaring type.
/// </summary>
internal static class TypeNames
{
    public static (string Namespace, string FullName) Of(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var name = reader.GetString(type.Name);
        while (type.IsNested)
        {
            type = reader.GetTypeDefinition(type.GetDeclaringType());
            name = reader.GetString(type.Name) + "+" + name;
        }

        var ns = reader.GetString(type.Namespace);
        return (ns, Join(ns, name));
    }

    public static (string Namespace, string FullName) Of(MetadataReader reader, TypeReferenceHandle handle)
    {
        var type = reader.GetTypeReference(handle);
        var name = reader.GetString(type.Name);
        while (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            type = reader.GetTypeReference((TypeReferenceHandle)type.ResolutionScope);
            name = reader.GetString(type.Name) + "+" + name;
        }

        var ns = reader.GetString(type.Namespace);
        return (ns, Join(ns, name));
    }

    private static string Join(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;
}
