/**
 * What a stage's page taught that the stages after it use unchanged, from B13 on: B13's proof over
 * the whole block and its chain rules ({@link bitvillage.stages.taught.BlockProof},
 * {@link bitvillage.stages.taught.ChainRules}), B14's fees ({@link bitvillage.stages.taught.FeeRate}),
 * B15's full pool ({@link bitvillage.stages.taught.Mempool}), B16's signed payments and balances
 * ({@link bitvillage.stages.taught.SignedPayment}, {@link bitvillage.stages.taught.Accounts}) and the
 * pool's parents ({@link bitvillage.stages.taught.Lineage}), B17's coins ({@link bitvillage.stages.taught.CoinTransaction},
 * {@link bitvillage.stages.taught.UnspentCoins}, {@link bitvillage.stages.taught.CoinSelection},
 * {@link bitvillage.stages.taught.Reorganisation}), B18's block tree and gossip ({@link bitvillage.stages.taught.BlockTree},
 * {@link bitvillage.stages.taught.Gossip}), B19's notebook ({@link bitvillage.stages.taught.Notebook} and its file,
 * {@link bitvillage.stages.taught.NotebookReplay}, and the answers about payments B18 gave, {@link bitvillage.stages.taught.PaymentAnswers}). The
 * stage that teaches a class and every stage after it import it instead of copying it, so that a
 * stage's file stays the size of one lesson and {@code diff} shows only what is new. These classes
 * use util and keys, never the stages.
 */
package bitvillage.stages.taught;
