// Fixture types for the reader test: one namespace per kind of use, each used by ReaderFixture in that one way only.
// Many namespaces in one file on purpose: they exist only as targets, and ReaderFixtureTests lists them.

namespace CbbToolkit.Architecture.Tests.Fixtures.Targets.ByBase
{
    public class BaseTarget;
}

namespace CbbToolkit.Architecture.Tests.Fixtures.Targets.ByInterface
{
    public interface IInterfaceTarget;
}

namespace CbbToolkit.Architecture.Tests.Fixtures.Targets.ByField
{
    public sealed class FieldTarget;
}

namespace CbbToolkit.Architecture.Tests.Fixtures.Targets.ByParameter
{
    public sealed class ParameterTarget;
}

namespace CbbToolkit.Architecture.Tests.Fixtures.Targets.ByGenericArgument
{
    public sealed class GenericArgumentTarget;
}

namespace CbbToolkit.Architecture.Tests.Fixtures.Targets.ByConstraint
{
    public class ConstraintTarget;
}

namespace CbbToolkit.Architecture.Tests.Fixtures.Targets.ByAttributes
{
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class AttributeTargetAttribute : Attribute;
}

namespace CbbToolkit.Architecture.Tests.Fixtures.Targets.ByNew
{
    public sealed class NewTarget;
}

namespace CbbToolkit.Architecture.Tests.Fixtures.Targets.ByCall
{
    public static class CallTarget
    {
        public static void Run()
        {
        }
    }
}

namespace CbbToolkit.Architecture.Tests.Fixtures.Targets.ByCast
{
    public sealed class CastTarget;
}

namespace CbbToolkit.Architecture.Tests.Fixtures.Targets.ByStaticField
{
    public static class StaticFieldTarget
    {
        public static readonly int Value = Environment.ProcessorCount;
    }
}

namespace CbbToolkit.Architecture.Tests.Fixtures.Targets.ByTypeof
{
    public sealed class TypeofTarget;
}

namespace CbbToolkit.Architecture.Tests.Fixtures.Targets.ByCatch
{
    public sealed class CatchTargetException : Exception;
}

namespace CbbToolkit.Architecture.Tests.Fixtures.Targets.ByClosure
{
    public static class ClosureTarget
    {
        public static int Twice(int value) => value * 2;
    }
}

namespace CbbToolkit.Architecture.Tests.Fixtures.Targets.ByAsync
{
    public static class AsyncTarget
    {
        public static int Answer() => 42;
    }
}
