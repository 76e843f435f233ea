using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace CbbToolkit.Architecture.Tests.Reading;

/// <summary>
/// Decodes signatures (fields, methods, locals, type specifications) and hands every named type in them to a callback
/// as (namespace, full name, defined in this assembly). The decoded value itself is not needed, so the provider's type
/// is a dummy.
/// </summary>
internal sealed class TypeCollector : ISignatureTypeProvider<byte, object?>
{
    private readonly MetadataReader _reader;
    private readonly Action<string, string, bool> _found;

    public TypeCollector(MetadataReader reader, Action<string, string, bool> found)
    {
        _reader = reader;
        _found = found;
    }

    public void Add(EntityHandle handle)
    {
        if (handle.IsNil)
        {
            return;
        }

        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                Found(TypeNames.Of(_reader, (TypeDefinitionHandle)handle), own: true);
                break;
            case HandleKind.TypeReference:
                Found(TypeNames.Of(_reader, (TypeReferenceHandle)handle), own: false);
                break;
            case HandleKind.TypeSpecification:
                _reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                break;
            case HandleKind.MethodDefinition:
                var method = _reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                Add(method.GetDeclaringType());
                method.DecodeSignature(this, null);
                break;
            case HandleKind.FieldDefinition:
                var field = _reader.GetFieldDefinition((FieldDefinitionHandle)handle);
                Add(field.GetDeclaringType());
                field.DecodeSignature(this, null);
                break;
            case HandleKind.MemberReference:
                var member = _reader.GetMemberReference((MemberReferenceHandle)handle);
                Add(member.Parent);
                if (member.GetKind() == MemberReferenceKind.Method)
                {
                    member.DecodeMethodSignature(this, null);
                }
                else
                {
                    member.DecodeFieldSignature(this, null);
                }

                break;
            case HandleKind.MethodSpecification:
                var specification = _reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                Add(specification.Method);
                specification.DecodeSignature(this, null);
                break;
            case HandleKind.StandaloneSignature:
                var signature = _reader.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                if (signature.GetKind() == StandaloneSignatureKind.LocalVariables)
                {
                    signature.DecodeLocalSignature(this, null);
                }
                else
                {
                    signature.DecodeMethodSignature(this, null);
                }

                break;
        }
    }

    private void Found((string Namespace, string FullName) type, bool own) => _found(type.Namespace, type.FullName, own);

    public byte GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
    {
        Found(TypeNames.Of(reader, handle), own: true);
        return 0;
    }

    public byte GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
    {
        Found(TypeNames.Of(reader, handle), own: false);
        return 0;
    }

    public byte GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public byte GetPrimitiveType(PrimitiveTypeCode typeCode) => 0;

    public byte GetSZArrayType(byte elementType) => 0;

    public byte GetArrayType(byte elementType, ArrayShape shape) => 0;

    public byte GetByReferenceType(byte elementType) => 0;

    public byte GetPointerType(byte elementType) => 0;

    public byte GetPinnedType(byte elementType) => 0;

    public byte GetGenericInstantiation(byte genericType, ImmutableArray<byte> typeArguments) => 0;

    public byte GetGenericMethodParameter(object? genericContext, int index) => 0;

    public byte GetGenericTypeParameter(object? genericContext, int index) => 0;

    public byte GetFunctionPointerType(MethodSignature<byte> signature) => 0;

    public byte GetModifiedType(byte modifier, byte unmodifiedType, bool isRequired) => 0;
}
