using CbbToolkit.Ipsec.Vici;

namespace CbbToolkit.Ipsec.Tests.Vici.Protocol;

/// <summary>Turns random bytes into a valid message: each byte read decides the next structural choice.</summary>
internal static class MessageBuilder
{
    public static ViciMessage Build(byte[] entropy)
    {
        var position = 0;
        return Section(entropy, ref position, depth: 0);
    }

    private static ViciMessage Section(byte[] e, ref int p, int depth)
    {
        var m = new ViciMessage();
        var count = Next(e, ref p) % 5;
        for (var i = 0; i < count && p < e.Length; i++)
        {
            var name = Name(e, ref p) + i; // the index keeps names unique within the section
            switch (Next(e, ref p) % (depth < 4 ? 3 : 2))
            {
                case 0:
                    m.Add(name, (ReadOnlyMemory<byte>)Bytes(e, ref p));
                    break;
                case 1:
                    var items = new List<ReadOnlyMemory<byte>>();
                    for (var n = Next(e, ref p) % 4; n > 0; n--)
                    {
                        items.Add(Bytes(e, ref p));
                    }

                    m.AddList(name, items);
                    break;
                default:
                    m.AddSection(name, Section(e, ref p, depth + 1));
                    break;
            }
        }

        return m;
    }

    private static string Name(byte[] e, ref int p)
    {
        var chars = new char[1 + Next(e, ref p) % 8];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)(0x20 + Next(e, ref p) % 95);
        }

        return new string(chars);
    }

    private static byte[] Bytes(byte[] e, ref int p)
    {
        var bytes = new byte[Next(e, ref p) % 12];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = Next(e, ref p);
        }

        return bytes;
    }

    private static byte Next(byte[] e, ref int p) => p < e.Length ? e[p++] : (byte)0;
}
