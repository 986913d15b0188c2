"""The « Signaux faibles » screen, its scheduled scan and the chef de salle's notice."""
