/* Test fixture: a shared library that does not export MCUSIM_LINK_SYMBOL. */
int mcusim_link_model_misspelt(void);
int mcusim_link_model_misspelt(void) { return 0; }
