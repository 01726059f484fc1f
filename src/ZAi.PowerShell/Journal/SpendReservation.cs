namespace ZAi.PowerShell.Journal
{
    /// <summary>A price set aside in a journal's spend for a request admitted under a budget and not recorded yet.</summary>
    internal sealed class SpendReservation
    {
        private readonly JournalFile _journal;

        internal SpendReservation(JournalFile journal, decimal amount)
        {
            _journal = journal;
            Amount = amount;
        }

        public decimal Amount { get; }

        /// <summary>Recorded or released: no longer set aside. Under the journal's lock.</summary>
        internal bool Ended { get; set; }

        /// <summary>Gives the amount back (the request was not sent). Safe to call more than once.</summary>
        public void Release() => _journal.Release(this);
    }
}
