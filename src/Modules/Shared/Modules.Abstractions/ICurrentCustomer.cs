namespace ChaosModular.Modules.Abstractions;

/// <summary>Who is asking: the signed-in customer of the current request.</summary>
public interface ICurrentCustomer
{
    /// <summary>The customer's id (the portal user's id), or empty when nobody is signed in (and in jobs).</summary>
    string Id { get; }

    bool IsSignedIn => Id.Length > 0;
}
