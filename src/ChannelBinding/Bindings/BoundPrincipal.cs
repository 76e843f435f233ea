using System.Security.Claims;

namespace CbbToolkit.Channels.Bindings;

/// <summary>
/// The application principal a server bound to a client's IPsec channel at first contact: who authenticated on that TLS
/// connection (a client certificate, or the application's normal scheme). Later bound connections are authenticated as
/// this principal without the credentials.
/// </summary>
public sealed class BoundPrincipal : IEquatable<BoundPrincipal>
{
    /// <summary>A principal.</summary>
    /// <param name="name">The principal's name (e.g. the certificate subject or user name), or null.</param>
    /// <param name="authenticationType">The scheme that authenticated it at first contact (e.g. "Certificate"), or null.</param>
    /// <param name="claims">Its claims, in order.</param>
    public BoundPrincipal(string? name, string? authenticationType, IEnumerable<BoundClaim> claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        Name = name;
        AuthenticationType = authenticationType;
        Claims = claims.ToArray();
        foreach (var claim in Claims)
        {
            ArgumentNullException.ThrowIfNull(claim, nameof(claims));
        }
    }

    /// <summary>The principal's name, or null.</summary>
    public string? Name { get; }

    /// <summary>The scheme that authenticated it at first contact, or null.</summary>
    public string? AuthenticationType { get; }

    /// <summary>Its claims, in the order given.</summary>
    public IReadOnlyList<BoundClaim> Claims { get; }

    /// <summary>The principal of an authenticated <see cref="ClaimsPrincipal"/> (its first identity that is authenticated).</summary>
    /// <exception cref="ArgumentException">When no identity of <paramref name="principal"/> is authenticated.</exception>
    public static BoundPrincipal FromClaimsPrincipal(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var identity = principal.Identities.FirstOrDefault(i => i.IsAuthenticated)
            ?? throw new ArgumentException("Only an authenticated principal can be bound.", nameof(principal));
        return new BoundPrincipal(identity.Name, identity.AuthenticationType, identity.Claims.Select(c => new BoundClaim(c.Type, c.Value)));
    }

    /// <summary>A <see cref="ClaimsPrincipal"/> with one identity of the given authentication type carrying these claims.</summary>
    public ClaimsPrincipal ToClaimsPrincipal(string authenticationType)
    {
        ArgumentException.ThrowIfNullOrEmpty(authenticationType);
        var identity = new ClaimsIdentity(Claims.Select(c => new Claim(c.Type, c.Value)), authenticationType);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>Compares name, scheme and the claims in order.</summary>
    public bool Equals(BoundPrincipal? other) =>
        other is not null
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && string.Equals(AuthenticationType, other.AuthenticationType, StringComparison.Ordinal)
        && Claims.SequenceEqual(other.Claims);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as BoundPrincipal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, AuthenticationType, Claims.Count);

    /// <summary>Name, scheme and the number of claims (claim values can be personal data).</summary>
    public override string ToString() => $"BoundPrincipal {{ Name = {Name ?? "(none)"}, AuthenticationType = {AuthenticationType ?? "(none)"}, Claims = {Claims.Count} }}";
}
