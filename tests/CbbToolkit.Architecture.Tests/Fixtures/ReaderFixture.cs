namespace CbbToolkit.Architecture.Tests.Fixtures.Source;

/// <summary>
/// Uses each fixture target namespace in one way only (the namespace says which), so the reader test can show that
/// every kind of use is seen: base type, interface, field, generic argument, constraint, parameter, attribute, and
/// inside bodies a new, a call, a static field, a cast, a typeof, a catch, a lambda's closure and an async state machine.
/// </summary>
public class ReaderFixture : Targets.ByBase.BaseTarget, Targets.ByInterface.IInterfaceTarget
{
    private readonly Targets.ByField.FieldTarget? _field;
    private readonly List<Targets.ByGenericArgument.GenericArgumentTarget> _list = [];

    public ReaderFixture(Targets.ByField.FieldTarget? field) => _field = field;

    public object? Field => _field;

    public int Count => _list.Count;

    public static void Constrained<T>()
        where T : Targets.ByConstraint.ConstraintTarget
    {
    }

    public static void Parameter(Targets.ByParameter.ParameterTarget? value) => GC.KeepAlive(value);

    [Targets.ByAttributes.AttributeTarget]
    public static void Attributed()
    {
    }

    public static object Bodies(object value)
    {
        object created = new Targets.ByNew.NewTarget();
        Targets.ByCall.CallTarget.Run();
        var cast = value as Targets.ByCast.CastTarget;
        try
        {
            return (created, cast, Targets.ByStaticField.StaticFieldTarget.Value, typeof(Targets.ByTypeof.TypeofTarget));
        }
        catch (Targets.ByCatch.CatchTargetException)
        {
            return 0;
        }
    }

    public static Func<int> Lambda(int seed) => () => Targets.ByClosure.ClosureTarget.Twice(seed);

    public static async Task<int> AnswerAsync()
    {
        await Task.Yield();
        return Targets.ByAsync.AsyncTarget.Answer();
    }
}
