using System.Text.RegularExpressions;

namespace ZAi.HelpBuilder;

/// <summary>
/// The parameter sets of a page, as New-ExternalHelp derives them: each set's parameters come from
/// the "Parameter Sets" of the ```yaml blocks ((All) joins every set), positional ones first by
/// position, then named ones in page order. The SYNTAX code blocks only name the sets and give their
/// order; Validate checks that they list the same parameters as the metadata says.
/// </summary>
internal static partial class SyntaxItems
{
    public const string AllParameterSetsName = "__AllParameterSets";

    [GeneratedRegex(@"(?<=^|[\s\[])-(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ParameterToken();

    /// <summary>One syntax item per parameter set, in SYNTAX order; one empty item for a cmdlet without parameters.</summary>
    public static List<SyntaxItem> Build(CommandPage page)
    {
        var named = NamedSets(page.Syntax);
        if (named.Count == 0)
        {
            // A single parameter set: every parameter, whichever set its metadata names.
            var name = page.Syntax.Count == 1 ? page.Syntax[0].ParameterSetName : AllParameterSetsName;
            return [new SyntaxItem(name, Order(page.Parameters.Where(p => p.Metadata.Count > 0).Select(p => (p, p.Metadata[0]))))];
        }
        return named.Select(set => new SyntaxItem(set, Order(MembersOf(page, set)))).ToList();
    }

    public static void Validate(CommandPage page, DiagnosticBag diagnostics)
    {
        if (page.Syntax.Count == 0) return;

        var declared = NamedSets(page.Syntax);
        var fromMetadata = page.Parameters
            .SelectMany(p => p.Metadata.SelectMany(m => m.ParameterSets).Select(set => (Parameter: p, Set: set)))
            .Where(pair => !pair.Set.Equals(ParameterMetadata.AllParameterSets, StringComparison.OrdinalIgnoreCase))
            .ToList();

        if (declared.Count == 0 && page.Syntax.Count > 1)
        {
            diagnostics.Error(page.Syntax[1].Line, $"## SYNTAX has {page.Syntax.Count} entries; a page whose parameters are all in (All) has one.");
        }
        if (declared.Count > 0 && page.Syntax.Any(s => IsAllSets(s.ParameterSetName)))
        {
            diagnostics.Error(page.Syntax.First(s => IsAllSets(s.ParameterSetName)).Line, $"## SYNTAX mixes '{AllParameterSetsName}' with named parameter sets.");
        }
        foreach (var duplicate in page.Syntax.GroupBy(s => s.ParameterSetName, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            diagnostics.Error(duplicate.Last().Line, $"## SYNTAX has the parameter set '{duplicate.Key}' twice.");
        }
        if (page.Syntax.Count(s => s.IsDefault) > 1)
        {
            diagnostics.Error(page.Syntax.Where(s => s.IsDefault).Last().Line, "## SYNTAX marks more than one parameter set as (Default).");
        }

        if (declared.Count > 0)
        {
            foreach (var (parameter, set) in fromMetadata.Where(pair => !declared.Contains(pair.Set, StringComparer.OrdinalIgnoreCase)))
            {
                diagnostics.Error(parameter.Line, $"Parameter -{parameter.Name} is in the parameter set '{set}', which has no '### {set}' entry under ## SYNTAX.");
            }
            foreach (var set in declared.Where(set => !fromMetadata.Any(pair => pair.Set.Equals(set, StringComparison.OrdinalIgnoreCase))))
            {
                var line = page.Syntax.First(s => s.ParameterSetName.Equals(set, StringComparison.OrdinalIgnoreCase)).Line;
                diagnostics.Error(line, $"## SYNTAX has the parameter set '{set}', but no parameter's ```yaml block names it in 'Parameter Sets'.");
            }
        }
        else if (fromMetadata.Count > 0)
        {
            var (parameter, set) = fromMetadata[0];
            diagnostics.Error(parameter.Line, $"Parameter -{parameter.Name} is in the parameter set '{set}', but ## SYNTAX names no parameter sets (write '### {set}' above its syntax block).");
        }

        var items = Build(page);
        foreach (var syntax in page.Syntax)
        {
            var code = syntax.Code.Trim();
            if (!code.StartsWith(page.Name, StringComparison.OrdinalIgnoreCase))
            {
                diagnostics.Error(syntax.Line, $"The syntax block of '{syntax.ParameterSetName}' must start with the cmdlet name {page.Name}.");
            }

            var item = items.FirstOrDefault(i => i.ParameterSetName.Equals(syntax.ParameterSetName, StringComparison.OrdinalIgnoreCase));
            if (item is null) continue;
            var listed = ParameterToken().Matches(code).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var expected = item.Parameters.Select(p => p.Parameter.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            // A parameter whose ```yaml block was rejected has been reported already.
            var unreadable = page.Parameters.Where(p => p.Metadata.Count == 0).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var name in listed.Where(name => !expected.Contains(name) && !unreadable.Contains(name)))
            {
                var documented = page.Parameters.Any(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
                diagnostics.Error(syntax.Line, documented
                    ? $"SYNTAX '{syntax.ParameterSetName}' lists -{name}, but the ```yaml block of -{name} does not put it in that parameter set."
                    : $"SYNTAX '{syntax.ParameterSetName}' lists -{name}, which has no '### -{name}' entry under ## PARAMETERS.");
            }
            foreach (var name in expected.Where(name => !listed.Contains(name)))
            {
                diagnostics.Error(syntax.Line, $"SYNTAX '{syntax.ParameterSetName}' does not list -{name}, which its ```yaml block puts in that parameter set.");
            }
        }
    }

    private static List<string> NamedSets(IReadOnlyList<SyntaxBlock> syntax) =>
        syntax.Select(s => s.ParameterSetName).Where(name => !IsAllSets(name)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    private static bool IsAllSets(string name) =>
        name.Equals(AllParameterSetsName, StringComparison.OrdinalIgnoreCase) ||
        name.Equals(ParameterMetadata.AllParameterSets, StringComparison.OrdinalIgnoreCase);

    /// <summary>Each parameter in the set, with the metadata block that names the set, or else its (All) block.</summary>
    private static IEnumerable<(ParameterDoc, ParameterMetadata)> MembersOf(CommandPage page, string set)
    {
        foreach (var parameter in page.Parameters)
        {
            var metadata =
                parameter.Metadata.FirstOrDefault(m => m.ParameterSets.Contains(set, StringComparer.OrdinalIgnoreCase)) ??
                parameter.Metadata.FirstOrDefault(m => m.AppliesTo(set));
            if (metadata is not null) yield return (parameter, metadata);
        }
    }

    private static List<(ParameterDoc Parameter, ParameterMetadata Metadata)> Order(IEnumerable<(ParameterDoc, ParameterMetadata)> members) =>
        members
            .Select((member, index) => (Member: member, Index: index))
            .OrderBy(x => x.Member.Item2.IsNamed ? int.MaxValue : int.Parse(x.Member.Item2.Position))
            .ThenBy(x => x.Index)
            .Select(x => x.Member)
            .ToList();
}

internal sealed record SyntaxItem(string ParameterSetName, IReadOnlyList<(ParameterDoc Parameter, ParameterMetadata Metadata)> Parameters);
