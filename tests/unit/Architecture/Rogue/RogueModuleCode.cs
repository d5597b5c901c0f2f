using ChaosModular.Billing.Features;

namespace ChaosModular.UnitTests.Architecture.Rogue;

/// <summary>
/// Module code that breaks the type rule on purpose: it holds Billing's implementation (a feature class) instead of going
/// through Billing.Contracts. Only the rule's negative control reads this namespace, as if it were a module of its own.
/// </summary>
internal sealed class RogueModuleCode(RemoveCard removeCard)
{
    public RemoveCard RemoveCard { get; } = removeCard;
}
